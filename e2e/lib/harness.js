'use strict';
// A minimal sequential test runner: the cases share one n8n user folder and one sandbox, so
// they run one after another, and each failure is reported without stopping the others.

function createHarness({ log = console.log } = {}) {
	const cases = [];
	return {
		test(name, fn) {
			cases.push({ name, fn });
		},
		/** Runs every case; resolves { passed, failed }. */
		async run({ beforeEach } = {}) {
			let passed = 0;
			let failed = 0;
			for (const { name, fn } of cases) {
				const started = Date.now();
				try {
					if (beforeEach) await beforeEach();
					await fn();
					passed++;
					log(`  ok   ${name} (${seconds(started)})`);
				} catch (error) {
					failed++;
					log(`  FAIL ${name} (${seconds(started)})`);
					log(indent(error && error.stack ? error.stack : String(error)));
				}
			}
			return { passed, failed };
		},
	};
}

function seconds(since) {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function indent(text) {
	return text
		.split('\n')
		.slice(0, 40)
		.map((line) => `       ${line}`)
		.join('\n');
}

module.exports = { createHarness, seconds };
