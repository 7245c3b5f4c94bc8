/** IntOrString values scaled against a total (`intstr.GetScaledValueFromIntOrPercent`). */

/**
 * An integer as is, or a percentage of `total` rounded up (`roundUp`) or down. Throws upstream's
 * messages for strings that are not percentages.
 */
export function scaledValue(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = value.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}: strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  const pct = Number(digits);
  return roundUp ? Math.ceil((pct * total) / 100) : Math.floor((pct * total) / 100);
}
