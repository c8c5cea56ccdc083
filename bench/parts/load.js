'use strict';
// Part 3: load cost. In fresh processes, the time to require the built node and credential
// once n8n-workflow is loaded (n8n has always loaded it, and with it zod, before it loads a
// community package). Each child times its own requires, so process start-up is not counted:
// wall time, and the CPU time the child spent in them (steadier on a shared machine).
// Noise check: the same measurement in the odd and in the even processes (one after the
// other, alike); their ratio of medians is 1 on a quiet machine.
// Prints one JSON object on stdout.
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { ROOT } = require('../lib/context');
const { quantile, summarize } = require('../lib/stats');

const PROCESSES = Number(process.env.BENCH_LOAD_PROCESSES || 30);

const CHILD = `
const t = () => Number(process.hrtime.bigint()) / 1e6;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = t();
require('n8n-workflow');
const t1 = t();
const c1 = cpu();
const before = new Set(Object.keys(require.cache));
require(${JSON.stringify(path.join(ROOT, 'dist/nodes/OrderProxies/OrderProxies.node.js'))});
require(${JSON.stringify(path.join(ROOT, 'dist/credentials/StatProxiesApi.credentials.js'))});
const t2 = t();
const c2 = cpu();
const added = Object.keys(require.cache).filter((file) => !before.has(file));
process.stdout.write(
  JSON.stringify({ workflowMs: t1 - t0, packageMs: t2 - t1, packageCpuMs: c2 - c1, modules: added }),
);
`;

function main() {
	const workflow = [];
	const pkg = [];
	const pkgCpu = [];
	let modules = [];
	for (let i = 0; i < PROCESSES; i++) {
		const out = JSON.parse(
			execFileSync(process.execPath, ['-e', CHILD], { cwd: ROOT, encoding: 'utf8' }),
		);
		workflow.push(out.workflowMs);
		pkg.push(out.packageMs);
		pkgCpu.push(out.packageCpuMs);
		modules = out.modules.map((file) => path.relative(ROOT, file));
	}
	const half = (parity) => pkg.filter((_, i) => i % 2 === parity);
	const noiseRatio = quantile(half(1), 0.5) / quantile(half(0), 0.5);
	// A require is synchronous: wall time beyond the CPU time is time the process waited for
	// a busy CPU (or the disk), ~0 on a quiet machine. It counts as noise too.
	const waited = Math.max(0, quantile(pkg, 0.5) / quantile(pkgCpu, 0.5) - 1);
	console.log(
		JSON.stringify({
			processes: PROCESSES,
			packageMs: summarize(pkg),
			packageCpuMs: summarize(pkgCpu),
			noiseCheck: {
				ratio: noiseRatio,
				waited,
				noise: Math.max(Math.abs(noiseRatio - 1), waited),
			},
			samples: pkg,
			n8nWorkflowMs: summarize(workflow),
			// Everything the package's require loaded that n8n-workflow had not: its own files only
			// when zod and n8n-workflow are shared.
			modulesLoaded: modules,
		}),
	);
}

main();
