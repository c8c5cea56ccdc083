#!/usr/bin/env node
'use strict';
// Runs the StatProxies sandbox on its own:
//   node sandbox/cli.js [--port 4010] [--list-shape object|list|empty]
// --list-shape: what GET /api/v2/order/list (the credential test) answers a good key; while
// it runs, POST /__sandbox/list {"shape": "empty"} changes it, {"fault": "401"} makes the list
// answer a fault to every key ({"fault": null} clears it).
const { startSandbox, LIST_SHAPES } = require('./index');

const option = (name) => {
	const at = process.argv.indexOf(name);
	return at > -1 ? process.argv[at + 1] : undefined;
};
const port = option('--port') !== undefined ? Number(option('--port')) : 4010;
const listShape = option('--list-shape') ?? 'object';
if (!LIST_SHAPES.includes(listShape)) {
	console.error(`--list-shape must be one of ${LIST_SHAPES.join(', ')} (received "${listShape}")`);
	process.exit(2);
}

startSandbox({ port, listShape }).then((sandbox) => {
	// One JSON line first, so that scripts can read where the sandbox is.
	console.log(JSON.stringify({ url: sandbox.url, key: sandbox.keys.full, listShape }));
	const stop = () => sandbox.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
});
