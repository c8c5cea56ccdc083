'use strict';
// Where the package is on disk and which of its files exist, for the package test. Plain JS on
// purpose, like the sandbox: n8n's lint forbids node:fs, node:path and __dirname in .ts files,
// and this never ships in the package.
const fs = require('node:fs');
const path = require('node:path');

/** The package root: the directory holding package.json. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Whether a path, relative to the package root, names a file inside the package.
 * @param {string} relativePath
 * @returns {boolean}
 */
function isPackageFile(relativePath) {
	const absolute = path.resolve(PACKAGE_ROOT, relativePath);
	const inside = path.relative(PACKAGE_ROOT, absolute);
	if (inside.startsWith('..') || path.isAbsolute(inside)) return false;
	return fs.existsSync(absolute) && fs.statSync(absolute).isFile();
}

module.exports = { PACKAGE_ROOT, isPackageFile };
