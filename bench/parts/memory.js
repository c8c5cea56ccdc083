'use strict';
// Part 4: memory. Dry-run executions in n8n-core's ExecuteContext (a dry run sends nothing,
// so only the node's own memory is measured), after full GCs:
//   held     for N = 1,000 ... 10,000 items: the heap held while the caller keeps the output,
//            minus the heap before the run, per item: the output itself. Goal: the same per
//            item for every N (nothing grows faster than the output).
//   residue  the heap left after LEAK_RUNS runs of the largest N, each output dropped, minus
//            the heap before, per item run: what a run leaves behind; and after 2 × LEAK_RUNS
//            runs. The difference, per extra item run, is the leak: state made once (compiled
//            code, n8n's lazily created objects) cancels out. Goal: under 1 % of the output
//            held per item. Summing many runs makes a per-item leak stand out of the heap's
//            noise.
// Each run happens in its own function, so that no stack slot of the measuring code keeps the
// output alive (V8 keeps an awaited value in a suspended frame's registers).
// Noise checks: the spread of the REPEATS of each N (held), and the same residue measurement
// of runs that build and drop an output of the same shape without the node (control): what
// the heap does with no node at all.
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
async function residue(size, runs, hold = holdOutput) {
	const items = Array.from({ length: size }, () => ({}));
	const before = heap();
	for (let run = 0; run < runs; run++) await hold(items);
	const after = heap();
	if (items.length !== size) throw new Error('unreachable: keeps the input alive to here');
	return after - before;
}

/** The control: an output shaped like a dry run's, built and dropped without the node. */
async function holdPlainOutput(items) {
	const before = heap();
	const output = items.map((_, i) => ({
		json: {
			dry_run: true,
			request: {
				method: 'POST',
				url: `${CREDENTIAL.baseUrl}/api/v2/order/newscale`,
				headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
				body: { quantity: 1, product_type: 'captcha' },
			},
		},
		pairedItem: { item: i },
	}));
	await null;
	if (output.length !== items.length) throw new Error('unreachable');
	return { before, held: heap() - before };
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
	// Twice the runs: a leak doubles, state made once (compiled code, n8n's lazy objects) does not.
	const leftTwice = await residue(largest, 2 * LEAK_RUNS);
	const controlLeft = await residue(largest, LEAK_RUNS, holdPlainOutput);
	const controlLeftTwice = await residue(largest, 2 * LEAK_RUNS, holdPlainOutput);
	const perExtraItem = (once, twice) => (twice - once) / (largest * LEAK_RUNS);
	// What the node still remembers once every run is over (null if the build has no such count).
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
				bytesTwice: leftTwice,
				leakBytesPerItem: perExtraItem(left, leftTwice),
			},
			control: {
				bytes: controlLeft,
				bytesPerItem: controlLeft / (largest * LEAK_RUNS),
				bytesTwice: controlLeftTwice,
				leakBytesPerItem: perExtraItem(controlLeft, controlLeftTwice),
			},
			remembered: typeof memorySize === 'function' ? memorySize() : null,
		}),
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
