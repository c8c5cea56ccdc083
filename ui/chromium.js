'use strict';
// The browser: Debian's own `chromium`, driven by playwright-core. Playwright's browser
// download is never used (these machines reach only the npm registry and Debian): when the
// system binary is missing, it is installed with apt, which needs root.
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
// fonts-liberation: the metric-compatible fonts the editor's text is laid out for.
const APT_PACKAGES = ['chromium', 'fonts-liberation'];

function findChromium() {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	return CANDIDATES.find((file) => fs.existsSync(file));
}

function apt(args, log) {
	log(`  apt-get ${args.join(' ')}`);
	const result = spawnSync('apt-get', args, {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
	if (result.status !== 0) {
		throw new Error(
			`apt-get ${args.join(' ')} failed (exit ${result.status}). Install Chromium yourself ` +
				`(sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`,
		);
	}
}

/** The path of a Chromium binary, installing Debian's package first if there is none. */
function ensureChromium({ log = console.log } = {}) {
	const found = findChromium();
	if (found) return found;
	if (typeof process.getuid === 'function' && process.getuid() !== 0) {
		throw new Error(
			'No Chromium found. Install it (sudo apt-get install chromium) or set CHROMIUM_PATH.',
		);
	}
	const started = Date.now();
	log(
		`Chromium is not installed: installing Debian's ${APT_PACKAGES.join(' ')} (about a minute)...`,
	);
	apt(['update', '-qq'], log);
	apt(['install', '-y', '-qq', '--no-install-recommends', ...APT_PACKAGES], log);
	const installed = findChromium();
	if (!installed) throw new Error('apt installed chromium, but no binary is at /usr/bin/chromium');
	log(`  installed ${installed} in ${Math.round((Date.now() - started) / 1000)} s`);
	return installed;
}

module.exports = { ensureChromium };
