#!/usr/bin/env node
'use strict';
// Runs the StatProxies sandbox on its own: `node sandbox/cli.js [--port 4010]`.
const { startSandbox } = require('./index');

const portArg = process.argv.indexOf('--port');
const port = portArg > -1 ? Number(process.argv[portArg + 1]) : 4010;

startSandbox({ port }).then((sandbox) => {
	// One JSON line first, so that scripts can read where the sandbox is.
	console.log(JSON.stringify({ url: sandbox.url, key: sandbox.keys.full }));
	const stop = () => sandbox.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
});
