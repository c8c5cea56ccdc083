'use strict';
// The one test runner of the real-n8n suites (e2e, queue, browser). Cases share one n8n and
// one sandbox, so they run one after another, in the order they were declared; a failure is
// reported and the others still run. Every run ends with the line `N passed, N failed`.
//
//   const t = createRunner({ grep, skip });   // skip: [{ name: RegExp|string, reason }]
//   t.test('what the case proves', async () => { ... });
//   const { passed, failed } = await t.run({ beforeEach });
//   finish({ passed, failed });               // prints the closing line, sets the exit code

function createRunner({ log = console.log, grep = null, skip = [] } = {}) {
	const cases = [];
	const skipReason = (name) => {
		const found = skip.find(({ name: pattern }) =>
			pattern instanceof RegExp ? pattern.test(name) : name.includes(pattern),
		);
		return found ? found.reason : null;
	};
	return {
		test(name, fn) {
			if (grep && !name.includes(grep)) return;
			if (cases.some((c) => c.name === name)) throw new Error(`Two cases named "${name}"`);
			cases.push({ name, fn });
		},
		get size() {
			return cases.length;
		},
		/** Runs every case; resolves { passed, failed, skipped, skips: [{ name, reason }] }. */
		async run({ beforeEach } = {}) {
			let passed = 0;
			let failed = 0;
			let skipped = 0;
			const skips = [];
			for (const { name, fn } of cases) {
				const reason = skipReason(name);
				if (reason) {
					skipped++;
					skips.push({ name, reason });
					log(`  skip ${name}: ${reason}`);
					continue;
				}
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
			if (skipped) log(`${skipped} skipped (reasons above)`);
			return { passed, failed, skipped, skips };
		},
	};
}

/** Prints the closing line and sets the exit code: 0 only if something passed and nothing failed. */
function finish({ passed, failed }, log = console.log) {
	log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

/** A function that runs `fn` once, on first call, and hands every caller the same promise. */
function once(fn) {
	let promise = null;
	return () => (promise ??= Promise.resolve().then(fn));
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

module.exports = { createRunner, finish, once, seconds };
