'use strict';
// Measured tables live in docs/*.md between two markers, and are rewritten by the command
// that measures them: the prose around them stays as written.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.join(__dirname, '..');

/** Replaces what stands between `<!-- <name>: begin ... -->` and `<!-- <name>: end -->` in `file`. */
function writeMeasured(file, name, markdown) {
	const full = path.join(REPO, file);
	const text = fs.readFileSync(full, 'utf8');
	const begin = text.indexOf(`<!-- ${name}: begin`);
	const endMarker = `<!-- ${name}: end -->`;
	const end = text.indexOf(endMarker);
	if (begin === -1 || end < begin) throw new Error(`${file} has no "${name}" markers`);
	const beginLineEnd = text.indexOf('\n', begin) + 1;
	fs.writeFileSync(full, `${text.slice(0, beginLineEnd)}${markdown.trim()}\n${text.slice(end)}`);
	return file;
}

/** The commit measured, "abc1234" (with a note when nodes/ or credentials/ have changes), or null. */
function commit() {
	try {
		const git = (...args) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
		const changed = git('status', '--porcelain', '--', 'nodes', 'credentials');
		const head = git('rev-parse', '--short', 'HEAD');
		return changed ? `${head} with uncommitted changes to nodes/ or credentials/` : head;
	} catch {
		return null;
	}
}

/** "on 2026-12-03, 2 × AMD EPYC, commit abc1234": when, on what and of what a measurement ran. */
function provenance() {
	const cpus = os.cpus();
	const date = new Date().toISOString().slice(0, 10);
	return `on ${date}, ${cpus.length} × ${cpus[0]?.model.trim()}, commit ${commit() ?? 'unknown'}`;
}

module.exports = { REPO, writeMeasured, commit, provenance };
