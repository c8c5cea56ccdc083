#!/usr/bin/env node
'use strict';
// `npm run scan`: n8n's own static analysis of community packages (@n8n/scan-community-package,
// what n8n runs before it verifies a package), on both legs it scans: the sources (nodes/,
// credentials/, package.json) and the packed tarball (its .js and package.json). The scanner
// normally downloads a published package from npm; this package is not published yet, so its
// analysis runs on this clone and on the tarball `npm pack` makes.
//
// The scanner is installed once into the cache folder the lab uses. Its pinned TypeScript (7.x)
// breaks @typescript-eslint's parser, and its lint plugin needs n8n-workflow: both are set to
// the versions this project builds with.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { cacheRoot } = require('../lab/n8n/install');

const SCANNER = '@n8n/scan-community-package@0.32.0';
const ROOT = path.join(__dirname, '..');
const run = (command, args, cwd) =>
	execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

function ensureScanner() {
	const dir = path.join(cacheRoot(), `scanner-${SCANNER.split('@').pop()}`);
	if (fs.existsSync(path.join(dir, '.installed'))) return dir;
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	console.log(`Installing ${SCANNER} into ${dir} (once)...`);
	const tarball = run('npm', ['pack', SCANNER, '--silent'], dir).trim().split('\n').pop();
	run('tar', ['xzf', tarball, '--strip-components=1'], dir);
	const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const { devDependencies, ...rest } = manifest;
	void devDependencies;
	rest.dependencies.typescript = '5.9.3';
	rest.dependencies['n8n-workflow'] = require('../package.json').devDependencies['n8n-workflow'];
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(rest, null, 2));
	run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps'], dir);
	fs.writeFileSync(path.join(dir, '.installed'), SCANNER);
	return dir;
}

async function main() {
	const scanner = ensureScanner();
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(
		path.join(scanner, 'scanner', 'scanner.mjs')
	);
	run('npm', ['run', 'build', '--silent'], ROOT);
	const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
	try {
		const tarball = run('npm', ['pack', '--silent', '--pack-destination', unpacked], ROOT)
			.trim()
			.split('\n')
			.pop();
		run('tar', ['xzf', tarball, '--strip-components=1'], unpacked);
		fs.rmSync(path.join(unpacked, tarball));
		const legs = {
			'sources (nodes/, credentials/, package.json)': await analyzePackage(ROOT, SOURCE_FILE_PATTERNS),
			'tarball (.js, package.json)': await analyzePackage(unpacked, ['**/*.js', 'package.json']),
		};
		let passed = true;
		for (const [leg, result] of Object.entries(legs)) {
			console.log(`${result.passed ? 'passed' : 'FAILED'}: ${leg}${result.message ? ` (${result.message})` : ''}`);
			if (result.details) console.log(result.details);
			passed &&= result.passed;
		}
		console.log(passed ? "n8n's scanner: no problems" : "n8n's scanner found problems");
		return passed ? 0 : 1;
	} finally {
		fs.rmSync(unpacked, { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
