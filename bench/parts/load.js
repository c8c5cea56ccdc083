'use strict';
// Part 3: load cost. In fresh processes, the time to require the built node and credential
// once n8n-workflow is loaded (n8n has always loaded it, and with it zod, before it loads a
// community package). Each child times its own requires, so process start-up is not counted.
// Prints one JSON object on stdout.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { ROOT } = require('../lib/context');
const { summarize } = require('../lib/stats');

const PROCESSES = Number(process.env.BENCH_LOAD_PROCESSES || 20);

const CHILD = `
const t = () => Number(process.hrtime.bigint()) / 1e6;
const t0 = t();
require('n8n-workflow');
const t1 = t();
const before = new Set(Object.keys(require.cache));
require(${JSON.stringify(path.join(ROOT, 'dist/nodes/OrderProxies/OrderProxies.node.js'))});
require(${JSON.stringify(path.join(ROOT, 'dist/credentials/StatProxiesApi.credentials.js'))});
const t2 = t();
const added = Object.keys(require.cache).filter((file) => !before.has(file));
process.stdout.write(JSON.stringify({ workflowMs: t1 - t0, packageMs: t2 - t1, modules: added }));
`;

function main() {
	const workflow = [];
	const pkg = [];
	let modules = [];
	for (let i = 0; i < PROCESSES; i++) {
		const out = JSON.parse(
			execFileSync(process.execPath, ['-e', CHILD], { cwd: ROOT, encoding: 'utf8' }),
		);
		workflow.push(out.workflowMs);
		pkg.push(out.packageMs);
		modules = out.modules.map((file) => path.relative(ROOT, file));
	}
	console.log(
		JSON.stringify({
			processes: PROCESSES,
			packageMs: summarize(pkg),
			n8nWorkflowMs: summarize(workflow),
			// Everything the package's require loaded that n8n-workflow had not: its own files only
			// when zod and n8n-workflow are shared.
			modulesLoaded: modules,
		}),
	);
}

main();
