'use strict';
// Part 2: in a real n8n (the pinned 2.41.1; the CLI, a fresh user folder, the packed package installed
// the way n8n's installer does), the same 500 orders through Order Proxies and through the
// HTTP Request node (4.5, what n8n 2.41 adds) with a Header Auth credential, against the
// sandbox. The HTTP Request node has no sequential mode: it starts every item's request
// without waiting for the previous answer (its batching option only adds pauses), so it is
// measured as users get it. Order Proxies orders one item after another, on purpose.
//
// One workflow is a chain: Manual Trigger -> Code (500 items) -> A1 -> B1 -> A2 -> B2 -> ...
// where A and B are the compared nodes; each receives the 500 items of the one before, so
// the variants alternate inside one n8n process, and runs alternate which one goes first.
// The first node of each variant in a process is the cold one (n8n loads and compiles what
// it needs then); the others are warm, as in a long-running n8n. Timing is each node's own
// `executionTime` from the run data, not the CLI's start-up.
// BENCH_COMPARE="name=dir" also installs another build into a user folder of its own, and
// alternates runs between the two (bench/prototype.js uses it).
// Prints one JSON object on stdout; progress goes to stderr.
const fs = require('node:fs');
const path = require('node:path');
const n8nLib = require('../../lab/n8n');
const fixtures = require('../../lab/fixtures');
const { comparedPackages, ROOT } = require('../lib/context');
const { startSandboxProcess } = require('../lib/sandbox');
const { quantile, ratio, summarize } = require('../lib/stats');

const ITEMS = Number(process.env.BENCH_N8N_ITEMS || 500);
const RUNS = Number(process.env.BENCH_N8N_RUNS || 6);
const PAIRS = Number(process.env.BENCH_N8N_PAIRS || 4);
const COMPARE = comparedPackages();
const log = (line) => process.stderr.write(`${line}\n`);

const CREDENTIALS = {
	statProxies: { id: 'benchStatProxies', name: 'StatProxies bench' },
	headerAuth: { id: 'benchHeaderAuth', name: 'Header Auth bench' },
};

/** The compared nodes: label -> node factory. */
function variants(sandboxUrl) {
	return {
		orderProxies: {
			label: 'Order Proxies',
			node: (name) =>
				fixtures.orderNode({
					name,
					parameters: { quantity: 1, productType: 'captcha' },
					credential: CREDENTIALS.statProxies,
				}),
			ordered: (json) => typeof json.order_id === 'string',
		},
		httpRequest: {
			label: 'HTTP Request',
			node: (name) =>
				fixtures.node(
					name,
					'n8n-nodes-base.httpRequest',
					4.5,
					{
						method: 'POST',
						url: `${sandboxUrl}/api/v2/order/newscale`,
						authentication: 'genericCredentialType',
						genericAuthType: 'httpHeaderAuth',
						sendBody: true,
						specifyBody: 'json',
						jsonBody: '{"quantity":1,"product_type":"captcha"}',
						options: {},
					},
					{ credentials: { httpHeaderAuth: CREDENTIALS.headerAuth } },
				),
			ordered: (json) => json.response === 'success' && typeof json.order_id === 'string',
		},
	};
}

function chainWorkflow(id, order, specs) {
	const nodes = [
		fixtures.manualTrigger(),
		fixtures.codeNode('Items', {
			jsCode: `return Array.from({ length: ${ITEMS} }, (_, i) => ({ json: { i } }));`,
		}),
	];
	const chain = [];
	for (let pair = 1; pair <= PAIRS; pair++) {
		for (const key of order) {
			const name = `${specs[key].label} ${pair}`;
			chain.push({ key, name, pair });
			nodes.push(specs[key].node(name));
		}
	}
	return { workflow: fixtures.workflow(id, nodes, { name: `bench ${id}` }), chain };
}

async function prepareFolder(n8n, packageDir, sandbox, specs) {
	const tarball = await n8nLib.packPackage(packageDir);
	const folder = await n8nLib.newUserFolder(n8n, { prefix: 'statproxies-bench-' });
	try {
		await n8nLib.installPackageLikeN8n(tarball, folder);
	} finally {
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
	await n8nLib.importCredentials(folder, [
		fixtures.statProxiesCredential(CREDENTIALS.statProxies, {
			apiKey: sandbox.key,
			baseUrl: sandbox.url,
		}),
		fixtures.headerAuthCredential(CREDENTIALS.headerAuth, {
			name: 'Authorization',
			value: `Bearer ${sandbox.key}`,
		}),
	]);
	const keys = Object.keys(specs);
	const workflows = keys.map((_, shift) =>
		chainWorkflow(`bench-chain-${shift}`, keys.slice(shift).concat(keys.slice(0, shift)), specs),
	);
	await n8nLib.importWorkflows(
		folder,
		workflows.map((w) => w.workflow),
	);
	return { folder, workflows };
}

/** Runs the chain workflows alternately and returns the per-item times of each variant. */
async function measure(setups, sandbox, specs) {
	const keys = Object.keys(specs);
	const empty = () => Object.fromEntries(keys.map((k) => [k, []]));
	const samples = setups.map(() => ({ cold: empty(), warm: empty(), byPair: empty(), runs: [] }));
	for (let run = 0; run < RUNS; run++) {
		for (const [index, { folder, workflows, name }] of setups.entries()) {
			const { workflow, chain } = workflows[run % workflows.length];
			await sandbox.reset();
			const started = Date.now();
			const result = await n8nLib.execute(folder, workflow.id, { timeoutMs: 10 * 60 * 1000 });
			if (!result.ok)
				throw new Error(`run ${run} failed: ${result.error?.message ?? result.lastLine}`);
			const perRun = {};
			for (const { key, name: nodeName, pair } of chain) {
				const [task] = result.nodeRuns(nodeName);
				const items = task.data.main[0];
				const ordered = items.filter((item) => specs[key].ordered(item.json)).length;
				if (items.length !== ITEMS || ordered !== ITEMS) {
					throw new Error(
						`${nodeName}: ${ordered} of ${items.length} items ordered, expected ${ITEMS}`,
					);
				}
				const perItem = task.executionTime / ITEMS;
				samples[index][pair === 1 ? 'cold' : 'warm'][key].push(perItem);
				samples[index].byPair[key].push({ pair, perItem });
				(perRun[key] ??= []).push(perItem);
			}
			const sold = (await sandbox.orders()).length;
			if (sold !== ITEMS * PAIRS * keys.length) throw new Error(`sandbox sold ${sold} orders`);
			samples[index].runs.push({
				workflow: workflow.id,
				perItemMs: perRun,
				wallSeconds: (Date.now() - started) / 1000,
			});
			log(
				`  n8n run ${run + 1}/${RUNS}${name ? ` [${name}]` : ''} (${workflow.id}): ${JSON.stringify(perRun)}`,
			);
		}
	}
	return samples;
}

/**
 * The noise check: the same node doing the same work in the same process, warm pairs at even
 * positions of the chain against those at odd ones (pairs 2 and 4 against 3). On a quiet
 * machine each ratio is 1; the larger distance from 1 is this run's noise.
 */
function noiseCheck(sample, keys) {
	const warmPairs = (key, parity) =>
		sample.byPair[key].filter((s) => s.pair > 1 && s.pair % 2 === parity).map((s) => s.perItem);
	const ratios = Object.fromEntries(
		keys.map((key) => [key, quantile(warmPairs(key, 0), 0.5) / quantile(warmPairs(key, 1), 0.5)]),
	);
	return { ratios, noise: Math.max(...Object.values(ratios).map((r) => Math.abs(r - 1))) };
}

function report(sample, specs) {
	const keys = Object.keys(specs);
	const { warm, cold } = sample;
	return {
		noiseCheck: PAIRS >= 4 ? noiseCheck(sample, keys) : null,
		warmPerItemMs: Object.fromEntries(keys.map((k) => [k, summarize(warm[k])])),
		coldPerItemMs: Object.fromEntries(keys.map((k) => [k, summarize(cold[k])])),
		// Paired per run and position in the chain: the k-th Order Proxies with the k-th HTTP Request.
		ratios: {
			warm: ratio(warm.orderProxies, warm.httpRequest),
			cold: ratio(cold.orderProxies, cold.httpRequest),
		},
		samples: { warm, cold },
		runLog: sample.runs,
	};
}

async function main() {
	const n8n = await n8nLib.ensureN8n({ log });
	const sandbox = await startSandboxProcess();
	const specs = variants(sandbox.url);
	const packages = [{ name: null, dir: ROOT }, ...COMPARE];
	const setups = [];
	try {
		for (const { name, dir } of packages) {
			setups.push({ name, ...(await prepareFolder(n8n, dir, sandbox, specs)) });
		}
		const samples = await measure(setups, sandbox, specs);
		const [current, ...others] = samples.map((sample) => report(sample, specs));
		console.log(
			JSON.stringify({
				n8nVersion: n8n.version,
				items: ITEMS,
				runs: RUNS,
				pairsPerRun: PAIRS,
				variants: Object.fromEntries(Object.keys(specs).map((k) => [k, specs[k].label])),
				...current,
				compare: Object.fromEntries(COMPARE.map(({ name }, i) => [name, others[i]])),
			}),
		);
	} finally {
		await sandbox.stop();
		for (const { folder } of setups) n8nLib.removeUserFolder(folder);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
