'use strict';
// tsc compiles the TypeScript; gulp carries what tsc does not: the icons and codex files that
// n8n reads from beside each compiled node and credential.
const { src, dest, series } = require('gulp');
const fs = require('node:fs');

function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

async function clean() {
	await fs.promises.rm('dist', { recursive: true, force: true });
}

exports.clean = clean;
exports['build:assets'] = copyAssets;
exports.default = series(copyAssets);
