import { writeJson, type Handler } from '../request/context.js';

/** The Kubernetes version tskube's API reports; `minor` picks the kubectl a dispatcher runs. */
export const KUBERNETES_VERSION = { major: '1', minor: '32', patch: '5' };

/**
 * GET /version: the server's version in upstream's shape. major, minor and gitVersion are the
 * Kubernetes version served (kubectl reads them); the build fields describe tskube itself, so they
 * differ from upstream's Go build values on purpose.
 */
export const serveVersion: Handler = async (ctx) => {
  writeJson(ctx.res, 200, {
    major: KUBERNETES_VERSION.major,
    minor: KUBERNETES_VERSION.minor,
    gitVersion: `v${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}.${KUBERNETES_VERSION.patch}`,
    gitCommit: 'tskube',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node ${process.version}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  });
};
