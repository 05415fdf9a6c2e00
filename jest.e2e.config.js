/**
 * The end-to-end suite (`npm run test:e2e`): rollouts against real nginx,
 * Prometheus and PostgreSQL started by the tests, and the long matrices of
 * the bundled action (the bad-config corpus, GitHub API faults in every
 * phase) that would double the time of `npm test`. The same setup as
 * jest.config.js, but only the `*.e2e.test.ts` files under __tests__/e2e,
 * one file at a time (servers and CPU are shared), and with minutes-long
 * timeouts since bakes run on the real clock.
 */
import base from './jest.config.js'

export default {
  ...base,
  testMatch: ['<rootDir>/__tests__/e2e/**/*.e2e.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  maxWorkers: 1,
  testTimeout: 120000
}
