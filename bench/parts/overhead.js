'use strict';
// Part 1: per-item overhead. The same N orders against the sandbox, interleaved:
//   node    the node's execute() in n8n-core's ExecuteContext (validation, memory, mapping)
//   helper  a bare loop of the same requests through the same context's
//           httpRequestWithAuthentication: what every n8n node pays for HTTP
//   raw     a node:http loop with a keep-alive agent: the floor
//   nodeOwn the node's execute() with httpRequestWithAuthentication answering at once: the
//           node's own work per item, without the network and its noise
// and, to explain the gap between helper and raw:
//   rawNewConnection  node:http with a new agent (so a new connection) per request, as
//                     n8n-core builds one per request
//   helperDecrypted   the helper given the credential already read (credentialsDecrypted),
//                     so that n8n does not read and decrypt it again for every request
// and, as the noise check, helperAgain: the bare loop once more, the very same work as helper.
// On a quiet machine helperAgain / helper is 1; how far it is from 1 is this run's noise.
// BENCH_COMPARE="name=dir,..." adds node@name and helper@name for other builds of the package
// (bench/prototype.js uses it to put a proposed change side by side with the current one).
// Prints one JSON object on stdout.
const http = require('node:http');
const net = require('node:net');
const { comparedPackages, orderProxiesContext, ROOT } = require('../lib/context');
const { startSandboxProcess } = require('../lib/sandbox');
const { interleave, ratio, stopwatch, summarize } = require('../lib/stats');

const ITEMS = Number(process.env.BENCH_ITEMS || 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 16);
const ORDER_PATH = '/api/v2/order/newscale';
const PARAMETERS = { quantity: 1, productType: 'captcha', additionalFields: {}, options: {} };
const BODY = { quantity: 1, product_type: 'captcha' };
const COMPARE = comparedPackages();

/** The very options the node's transport hands to n8n for each order. */
function requestOptions(baseUrl) {
	const { httpOptions } = require(`${ROOT}/dist/nodes/shared/transport`);
	const { orderAction } = require(`${ROOT}/dist/nodes/OrderProxies/order`);
	return httpOptions(orderAction.request(BODY, baseUrl), 30000);
}

function rawPost(url, key, agent) {
	const body = JSON.stringify(BODY);
	return new Promise((resolve, reject) => {
		const req = http.request(
			`${url}${ORDER_PATH}`,
			{
				method: 'POST',
				agent,
				headers: {
					'Content-Type': 'application/json',
					Accept: 'application/json',
					Authorization: `Bearer ${key}`,
					'Content-Length': Buffer.byteLength(body),
				},
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => (text += chunk));
				res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(text))));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

// Counts the TCP connections this process opens: whether a variant reuses connections.
let connections = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function countedConnect(...args) {
	connections++;
	return connect.apply(this, args);
};

async function main() {
	const sandbox = await startSandboxProcess();
	const credential = { apiKey: sandbox.key, baseUrl: sandbox.url };
	const items = Array.from({ length: ITEMS }, () => ({}));
	const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
	const check = (count) => {
		if (count !== ITEMS) throw new Error(`expected ${ITEMS} results, got ${count}`);
	};

	const helperLoop = async (additional, packageDir = ROOT) => {
		const { context } = orderProxiesContext({
			credential,
			parameters: PARAMETERS,
			items,
			packageDir,
		});
		const stop = stopwatch();
		for (let i = 0; i < ITEMS; i++) {
			const response = await context.helpers.httpRequestWithAuthentication.call(
				context,
				'statProxiesApi',
				requestOptions(credential.baseUrl),
				additional,
			);
			if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
		}
		return stop(ITEMS);
	};

	const nodeRun = async (packageDir = ROOT) => {
		const { run } = orderProxiesContext({ credential, parameters: PARAMETERS, items, packageDir });
		const stop = stopwatch();
		const output = await run();
		const perItem = stop(ITEMS);
		check(output.filter((item) => item.json.order_id).length);
		return perItem;
	};

	let answered = 0;
	const instantAnswer = async () => {
		answered++;
		const id = `sub_bench${String(answered).padStart(15, '0')}`;
		return {
			statusCode: 200,
			body: JSON.stringify({
				response: 'success',
				order_id: id.toLowerCase(),
				subscription_id: id,
			}),
		};
	};

	const variants = {
		node: () => nodeRun(),
		nodeOwn: async () => {
			const { run, context } = orderProxiesContext({ credential, parameters: PARAMETERS, items });
			context.helpers.httpRequestWithAuthentication = instantAnswer;
			const stop = stopwatch();
			const output = await run();
			const perItem = stop(ITEMS);
			check(output.filter((item) => item.json.order_id).length);
			return perItem;
		},
		helper: () => helperLoop(undefined),
		helperAgain: () => helperLoop(undefined),
		raw: async () => {
			const stop = stopwatch();
			for (let i = 0; i < ITEMS; i++) await rawPost(sandbox.url, sandbox.key, keepAlive);
			return stop(ITEMS);
		},
		rawNewConnection: async () => {
			const stop = stopwatch();
			for (let i = 0; i < ITEMS; i++) await rawPost(sandbox.url, sandbox.key, new http.Agent());
			return stop(ITEMS);
		},
		helperDecrypted: () =>
			helperLoop({
				credentialsDecrypted: {
					id: 'statproxies-bench',
					name: 'StatProxies sandbox',
					type: 'statProxiesApi',
					data: credential,
				},
			}),
	};
	for (const { name, dir } of COMPARE) {
		variants[`node@${name}`] = () => nodeRun(dir);
		variants[`helper@${name}`] = () => helperLoop(undefined, dir);
	}

	const between = async () => {
		await sandbox.reset();
		if (global.gc) global.gc();
	};
	// Each sample also records how many connections its requests opened.
	const counted = Object.fromEntries(
		Object.entries(variants).map(([name, run]) => [
			name,
			async () => {
				const before = connections;
				const sample = await run();
				return { ...sample, connections: connections - before };
			},
		]),
	);
	const samples = await interleave(counted, ROUNDS, { between });
	await between();
	// Each variant really bought: the sandbox saw the requests, and the node's were the same.
	const { run } = orderProxiesContext({ credential, parameters: PARAMETERS, items: [{}] });
	await run();
	const [seen] = await sandbox.requests();
	keepAlive.destroy();
	await sandbox.stop();

	const measures = ['wallMs', 'cpuMs'];
	const pick = (name, measure) => samples[name].map((sample) => sample[measure]);
	const ratios = (measure) => {
		const r = (a, b) => ratio(pick(a, measure), pick(b, measure));
		return {
			nodeOverHelper: r('node', 'helper'),
			nodeOwnOverHelper: r('nodeOwn', 'helper'),
			helperOverRaw: r('helper', 'raw'),
			nodeOverRaw: r('node', 'raw'),
			rawNewConnectionOverRaw: r('rawNewConnection', 'raw'),
			helperDecryptedOverHelper: r('helperDecrypted', 'helper'),
			helperAgainOverHelper: r('helperAgain', 'helper'),
			...Object.fromEntries(
				COMPARE.flatMap(({ name }) => [
					[`node@${name}OverHelper@${name}`, r(`node@${name}`, `helper@${name}`)],
					[`node@${name}OverNode`, r(`node@${name}`, 'node')],
					[`helper@${name}OverHelper`, r(`helper@${name}`, 'helper')],
					[`node@${name}OverRaw`, r(`node@${name}`, 'raw')],
				]),
			),
		};
	};
	console.log(
		JSON.stringify({
			items: ITEMS,
			rounds: ROUNDS,
			// Per item, in ms: wall time, and the CPU time this process spent (the sandbox's is not counted).
			perItem: Object.fromEntries(
				measures.map((measure) => [
					measure,
					Object.fromEntries(
						Object.keys(samples).map((name) => [name, summarize(pick(name, measure))]),
					),
				]),
			),
			ratios: Object.fromEntries(measures.map((measure) => [measure, ratios(measure)])),
			connectionsPerRequest: Object.fromEntries(
				Object.keys(samples).map((name) => [
					name,
					summarize(pick(name, 'connections')).median / ITEMS,
				]),
			),
			samples,
			nodeRequestHeaders: seen.headers,
		}),
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
