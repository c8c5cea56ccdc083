#!/usr/bin/env node
'use strict';
// How often the Order Key claim could let two executions hold one key, measured by forcing
// many claims through the virtual store (test/harness/virtualStore.js) with the built claim
// (dist/): 150 claims of 12 keys within 20 s, from n processes that each serialize their own
// calls, every store call writing a random time after its read, a third of the claims given
// back (a refused order). Rewrites the table of docs/key-claim.md.
//
//   npm run build && node scripts/key-claim-rates.js [--seeds 60]
const path = require('node:path');
const { provenance, writeMeasured } = require('../lab/docs');
const { VirtualClock, VirtualStore, seeded, useVirtualTime } = require('../test/harness/virtualStore');

const dist = (file) => require(path.join(__dirname, '..', 'dist', 'nodes', file));
const { keyClaims, timing } = dist('shared/keyClaim');
const { outcomesFor } = dist('shared/outcomes');
const { orderAction } = dist('OrderProxies/order');
const { guard } = outcomesFor(orderAction.words);

const seedsAt = process.argv.indexOf('--seeds');
const SEEDS = seedsAt === -1 ? 60 : Number(process.argv[seedsAt + 1]);

async function trial(seed, { processes, rw, failures }) {
	const clock = new VirtualClock();
	const restore = useVirtualTime(timing, clock, seeded(seed));
	const random = seeded(seed * 7919);
	const store = new VirtualStore(clock, () => {
		const read = random() * 20;
		const roll = random();
		const fail = roll < failures / 2 ? 'before' : roll < failures ? 'after' : undefined;
		return { read, write: read + rw[0] + random() * (rw[1] - rw[0]), fail };
	});
	const holders = new Map();
	let doubles = 0;
	let claims = 0;
	const client = async (who, key, startAt) => {
		await clock.sleep(startAt);
		const api = keyClaims(store.as(who, `p${Math.floor(random() * processes)}`), guard, 'orderKey');
		const result = (await api.claim([key])).get(key);
		if ('kind' in result) return await api.tidy();
		claims++;
		if (holders.has(key)) doubles++;
		holders.set(key, who);
		if (random() < 1 / 3) {
			holders.delete(key);
			await result.release();
		} else await result.keep();
		await api.tidy();
	};
	const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
	try {
		await clock.run(
			Array.from({ length: 150 }, (_, i) =>
				client(`c${i}`, keys[Math.floor(random() * keys.length)], random() * 20000),
			),
		);
	} finally {
		restore();
	}
	return { doubles, claims };
}

const CASES = [
	{ processes: 1, rw: [0, 475], failures: 0.03, looks: 5 },
	{ processes: 3, rw: [0, 15], failures: 0.03, looks: 5 },
	{ processes: 3, rw: [40, 80], failures: 0.03, looks: 5 },
	{ processes: 3, rw: [140, 220], failures: 0, looks: 5 },
	{ processes: 3, rw: [140, 220], failures: 0.03, looks: 5 },
	{ processes: 6, rw: [140, 220], failures: 0, looks: 5 },
	{ processes: 3, rw: [0, 475], failures: 0, looks: 5 },
	{ processes: 3, rw: [0, 475], failures: 0.03, looks: 5 },
	// The design (one look) at the same load, for comparison.
	{ processes: 3, rw: [0, 15], failures: 0, looks: 1 },
	{ processes: 3, rw: [140, 220], failures: 0, looks: 1 },
];

(async () => {
	const rows = [];
	const production = timing.looks;
	for (const config of CASES) {
		timing.looks = config.looks;
		let doubles = 0;
		let claims = 0;
		let runs = 0;
		for (let seed = 1; seed <= SEEDS; seed++) {
			const result = await trial(seed, config);
			doubles += result.doubles;
			claims += result.claims;
			if (result.doubles) runs++;
		}
		timing.looks = production;
		const row = `| ${config.processes} | ${config.rw[0]} to ${config.rw[1]} ms | ${config.failures * 100} % | ${config.looks} | ${claims} | **${doubles}** (in ${runs} of ${SEEDS} runs) |`;
		console.log(row);
		rows.push(row);
	}
	const table = [
		`Measured ${provenance()}, by \`node scripts/key-claim-rates.js --seeds ${SEEDS}\`: ${SEEDS} runs per row, each 150 claims of 12 keys within 20 s, settle ${timing.settleMs} ms per look.`,
		'',
		'| processes | read-to-write of every store call | store calls failing | looks | claims held | two holders of one key at once |',
		'|---|---|---|---|---|---|',
		...rows,
	].join('\n');
	console.log(`wrote ${writeMeasured('docs/key-claim.md', 'rates', table)}`);
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
