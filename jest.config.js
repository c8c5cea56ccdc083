/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Errors the tests provoke on purpose are not echoed by n8n's logger; others still are.
	setupFiles: ['<rootDir>/test/harness/expected-errors.js'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
	},
	// n8n-core is large: a long first import is not a failure.
	testTimeout: 60_000,
};
