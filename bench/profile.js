#!/usr/bin/env node
'use strict';
// Where the time of part 1 goes: runs the node's execute() and the bare helper loop, each in
// its own process under `node --cpu-prof`, and prints, per request, the CPU time by package
// and the functions that differ most between the two (what the node adds).
//   node bench/profile.js             profiles this repository's dist/ (or BENCH_PACKAGE_DIR)
// The .cpuprofile files stay in bench/results/ (open them in Chrome DevTools).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const OUT = path.join(__dirname, 'results');
const ROUNDS = Number(process.env.BENCH_PROFILE_ROUNDS || 6);
const ITEMS = 1000;

if (process.argv[2] === '--driver') {
	driver(process.argv[3]).catch((error) => {
		console.error(error);
		process.exit(1);
	});
} else {
	main();
}

/** One process: ROUNDS × ITEMS orders through `mode` ('node' or 'helper'). */
async function driver(mode) {
	const { orderProxiesContext, ROOT } = require('./lib/context');
	// The very options the node's transport builds, so that the two differ only by the node.
	const { httpOptions } = require(`${ROOT}/dist/nodes/shared/transport`);
	const { orderAction } = require(`${ROOT}/dist/nodes/OrderProxies/order`);
	const body = { quantity: 1, product_type: 'captcha' };
	const { startSandboxProcess } = require('./lib/sandbox');
	const sandbox = await startSandboxProcess();
	const credential = { apiKey: sandbox.key, baseUrl: sandbox.url };
	const parameters = { quantity: 1, productType: 'captcha', additionalFields: {}, options: {} };
	const items = Array.from({ length: ITEMS }, () => ({}));
	for (let round = 0; round < ROUNDS; round++) {
		await sandbox.reset();
		const { run, context } = orderProxiesContext({ credential, parameters, items });
		if (mode === 'node') {
			await run();
			continue;
		}
		for (let i = 0; i < ITEMS; i++) {
			await context.helpers.httpRequestWithAuthentication.call(
				context,
				'statProxiesApi',
				httpOptions(orderAction.request(body, sandbox.url), 30000),
			);
		}
	}
	await sandbox.stop();
}

/** Self and inclusive CPU time (µs) per function, and self time per package. */
function summarizeProfile(file) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const selfTime = new Map();
	profile.samples.forEach((id, i) =>
		selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
	);
	const name = ({ callFrame: { functionName, url, lineNumber } }) =>
		`${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${lineNumber + 1}`;
	const pkg = ({ callFrame: { url, functionName } }) =>
		url.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ??
		(url.includes('/dist/')
			? 'n8n-nodes-statproxies'
			: url.startsWith('node:')
				? 'node (core)'
				: `(${functionName})`);
	const self = new Map();
	const inclusive = new Map();
	const packages = new Map();
	for (const [id, time] of selfTime) {
		const node = byId.get(id);
		self.set(name(node), (self.get(name(node)) ?? 0) + time);
		packages.set(pkg(node), (packages.get(pkg(node)) ?? 0) + time);
		const seen = new Set();
		for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
			const key = name(byId.get(cur));
			if (!seen.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + time);
			seen.add(key);
		}
	}
	return { self, inclusive, packages };
}

function main() {
	fs.mkdirSync(OUT, { recursive: true });
	const profiles = {};
	for (const mode of ['node', 'helper']) {
		const name = `profile-${mode}.cpuprofile`;
		execFileSync(
			process.execPath,
			[
				'--cpu-prof',
				`--cpu-prof-dir=${OUT}`,
				`--cpu-prof-name=${name}`,
				__filename,
				'--driver',
				mode,
			],
			{
				stdio: 'inherit',
			},
		);
		profiles[mode] = summarizeProfile(path.join(OUT, name));
	}
	const requests = ROUNDS * ITEMS;
	const perRequest = (us) => `${(us / requests).toFixed(1).padStart(7)} µs`;
	const top = (map, n, filter = () => true) =>
		[...map]
			.filter(([key]) => filter(key))
			.sort((a, b) => b[1] - a[1])
			.slice(0, n);
	const ignore = (key) => !/^\((idle|root|program)\)/.test(key);
	for (const mode of ['node', 'helper']) {
		console.log(`\n== ${mode}: CPU time per request by package (self time; idle excluded)`);
		for (const [key, us] of top(
			profiles[mode].packages,
			12,
			(k) => k !== '((idle))' && k !== '((root))',
		)) {
			console.log(`${perRequest(us)}  ${key}`);
		}
	}
	console.log("\n== node: the package's own functions, inclusive time per request");
	for (const [key, us] of top(profiles.node.inclusive, 12, (k) => k.includes(' dist/nodes/')))
		console.log(`${perRequest(us)}  ${key}`);
	console.log('\n== node minus helper: the functions whose self time grows most');
	const diff = new Map();
	for (const key of new Set([...profiles.node.self.keys(), ...profiles.helper.self.keys()])) {
		diff.set(key, (profiles.node.self.get(key) ?? 0) - (profiles.helper.self.get(key) ?? 0));
	}
	for (const [key, us] of top(diff, 15, ignore)) console.log(`${perRequest(us)}  ${key}`);
	console.log(`\nProfiles: ${path.relative(process.cwd(), OUT)}/profile-{node,helper}.cpuprofile`);
}
