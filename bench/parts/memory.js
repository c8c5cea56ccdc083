'use strict';
// Part 4: memory. Dry-run executions in n8n-core's ExecuteContext (a dry run sends nothing,
// so only the node's own memory is measured), after full GCs:
//   held     for N = 1,000 ... 10,000 items: the heap held while the caller keeps the output,
//            minus the heap before the run, per item: the output itself. Goal: the same per
//            item for every N (nothing grows faster than the output).
//   residue  the heap left after LEAK_RUNS runs of the largest N, each output dropped, minus
//            the heap before, per item run: what a run leaves behind. Goal: ~0 (a few bytes of
//            measurement noise, against the ~350 bytes per item of the output). Summing many
//            runs makes a per-item leak stand out of the heap's noise.
// Each run happens in its own function, so that no stack slot of the measuring code keeps the
// output alive (V8 keeps an awaited value in a suspended frame's registers).
// Needs --expose-gc. Prints one JSON object on stdout.
const path = require('node:path');
const v8 = require('node:v8');
const { orderProxiesContext, ROOT } = require('../lib/context');
const { summarize } = require('../lib/stats');

const SIZES = (process.env.BENCH_MEMORY_SIZES || '1000,2500,5000,10000').split(',').map(Number);
const REPEATS = Number(process.env.BENCH_MEMORY_REPEATS || 3);
const LEAK_RUNS = Number(process.env.BENCH_MEMORY_LEAK_RUNS || 10);
const PARAMETERS = {
	quantity: 1,
	productType: 'captcha',
	additionalFields: {},
	options: { dryRun: true },
};
const CREDENTIAL = { apiKey: 'sk_test_sandbox_full_access', baseUrl: 'http://127.0.0.1:9' };

function heap() {
	for (let i = 0; i < 3; i++) global.gc();
	return v8.getHeapStatistics().used_heap_size;
}

async function holdOutput(items) {
	const before = heap();
	const output = await orderProxiesContext({
		credential: CREDENTIAL,
		parameters: PARAMETERS,
		items,
	}).run();
	if (output.length !== items.length || output[items.length - 1].json.dry_run !== true) {
		throw new Error('dry run failed');
	}
	return { before, held: heap() - before };
}

async function measure(size) {
	const items = Array.from({ length: size }, () => ({}));
	const { held } = await holdOutput(items);
	if (items.length !== size) throw new Error('unreachable: keeps the input alive to here');
	return held;
}

/** Heap left after `runs` runs of `size` items whose outputs were all dropped. */
async function residue(size, runs) {
	const items = Array.from({ length: size }, () => ({}));
	const before = heap();
	for (let run = 0; run < runs; run++) await holdOutput(items);
	const after = heap();
	if (items.length !== size) throw new Error('unreachable: keeps the input alive to here');
	return after - before;
}

async function main() {
	if (!global.gc) throw new Error('run with node --expose-gc');
	await measure(SIZES[0]); // warm-up: first-run compilation and lazily created n8n state
	await residue(SIZES[0], 2);
	const bySize = {};
	for (const size of SIZES) {
		const held = [];
		for (let i = 0; i < REPEATS; i++) held.push(await measure(size));
		bySize[size] = { heldBytesPerItem: summarize(held.map((bytes) => bytes / size)) };
	}
	const largest = SIZES[SIZES.length - 1];
	const left = await residue(largest, LEAK_RUNS);
	const { memorySize } = require(path.join(ROOT, 'dist/nodes/shared/itemMemory.js'));
	console.log(
		JSON.stringify({
			sizes: SIZES,
			repeats: REPEATS,
			bySize,
			residue: {
				runs: LEAK_RUNS,
				itemsPerRun: largest,
				bytes: left,
				bytesPerItem: left / (largest * LEAK_RUNS),
			},
			remembered: memorySize(),
		}),
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
