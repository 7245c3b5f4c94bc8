/** Result codes of plugins, as upstream's framework defines them. */
export enum Code {
  Success = 0,
  Error = 1,
  Unschedulable = 2,
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  Skip = 5,
  Pending = 6,
}

const CODE_NAMES = ['Success', 'Error', 'Unschedulable', 'UnschedulableAndUnresolvable', 'Wait', 'Skip', 'Pending'];

/**
 * The result of running a plugin. A null status means Success everywhere in this framework (as
 * a nil *Status does upstream), so the common path allocates nothing. Statuses are immutable
 * once returned, which lets plugins share constant ones across nodes and pods.
 */
export class Status {
  readonly code: Code;
  readonly reasons: readonly string[];
  /** The plugin that produced it (set by the plugin or the framework). */
  readonly plugin: string;
  readonly error?: Error;

  constructor(code: Code, reasons: readonly string[] = [], plugin = '', error?: Error) {
    this.code = code;
    this.reasons = reasons;
    this.plugin = plugin;
    this.error = error;
  }

  /** A status with one reason. */
  static of(code: Code, reason: string, plugin = ''): Status {
    return new Status(code, [reason], plugin);
  }

  /** An Error status carrying `err`; its message is the only reason. */
  static fromError(err: unknown, plugin = ''): Status {
    const e = err instanceof Error ? err : new Error(String(err));
    return new Status(Code.Error, [e.message], plugin, e);
  }

  /** The reasons joined by ", " (upstream's Status.Message()). */
  message(): string {
    return this.reasons.join(', ');
  }

  /** Unschedulable or UnschedulableAndUnresolvable. */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }

  /** A copy naming `plugin`. */
  withPlugin(plugin: string): Status {
    return plugin === this.plugin ? this : new Status(this.code, this.reasons, plugin, this.error);
  }

  /** The code's upstream name. */
  codeName(): string {
    return CODE_NAMES[this.code] ?? `Code(${this.code})`;
  }
}

/** True for a null status or code Success. */
export function isSuccess(s: Status | null | undefined): boolean {
  return !s || s.code === Code.Success;
}

/** The status code, Success for null. */
export function codeOf(s: Status | null | undefined): Code {
  return s ? s.code : Code.Success;
}
