/** Jest 30 + ts-jest in native ESM mode (needs NODE_OPTIONS=--experimental-vm-modules). */
import { availableParallelism } from 'node:os'

export default {
  // Most suites wait on real servers, bakes and child processes rather
  // than compute, so two workers per core overlap well; verdicts never
  // depend on the CPU share a suite gets.
  maxWorkers: Math.max(2, availableParallelism() * 2),
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/__tests__/e2e/'],
  testTimeout: 30000,
  testSequencer: '<rootDir>/scripts/jest-sequencer.js',
  globalSetup: '<rootDir>/scripts/jest-tmp-setup.js',
  globalTeardown: '<rootDir>/scripts/jest-tmp-teardown.js',
  reporters: ['default', '<rootDir>/scripts/summary-reporter.js']
}
