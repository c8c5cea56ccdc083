'use strict';
// What the editor must show, read where a user reads it. Adjust here when the node's texts
// change, not in run.js: its journeys check each row against the text named in `read`.
const EXPECTED = {
	// The example's node takes its values from expressions, which the canvas cannot resolve
	// before a run: the subtitle is read on a freshly added node (Quantity 1, captcha).
	subtitle: {
		read: 'canvas subtitle of a freshly added Order Proxies node',
		matches: [/^Order 1 × Captcha\b/],
	},
	notice: { read: "Order Proxies panel's notice", contains: ['Dry Run', 'Execute step'] },
	docsLink: { read: "the panel's Docs link", excludes: ['#'] },
	baseUrlHint: {
		read: 'credential dialog, Base URL: hint and info tooltip as rendered',
		contains: ['http://127.0.0.1:4010'],
	},
	credentialTest: {
		read: "credential dialog after pressing its test, sandbox's good key",
		contains: ['Connection tested successfully'],
	},
	runOutput: {
		read: 'Order Proxies output panel after Execute workflow',
		contains: ['order_id'],
	},
	optionLimits: {
		read: 'a freshly added Order Proxies: the Options block (labels and values)',
		matches: [/Max Quantity\D{0,40}\b100\b/, /Max Proxies Per Execution\D{0,40}\b1000\b/],
	},
	timeoutLabel: { read: 'Options > Add option list', contains: ['Timeout (Milliseconds)'] },
	dryRunSubtitle: {
		read: 'canvas subtitle of that node with Options > Dry Run on',
		matches: [/^Dry run: 1 × Captcha\b/],
	},
	// Exchange Proxies, in the weekly rotation example and freshly added.
	exchangeSearch: {
		read: 'nodes panel after each search ("exchange", "rotate", "StatProxies")',
		contains: ['Exchange Proxies'],
	},
	exchangeNotice: {
		read: "Exchange Proxies panel's notice",
		contains: ['replaces every IP', 'Execute step', 'Dry Run', 'Max Exchanges Per Execution'],
	},
	exchangeExampleOptions: {
		read: "the weekly rotation's Exchange Proxies: the Options block",
		matches: [/Max Exchanges Per Execution\D{0,40}\b5\b/, /Exchange Key/],
	},
	exchangeRun: {
		read: 'Exchange Proxies output panel after Execute workflow (npm start seeds the listed orders)',
		contains: ['new_count', 'sub_1rqjp3jb4g9i6pkhdwmkpjob'],
	},
	exchangeLimit: {
		read: 'a freshly added Exchange Proxies: the Options block (labels and values)',
		matches: [/Max Exchanges Per Execution\D{0,40}\b10\b/],
	},
	exchangeSubtitle: {
		read: 'canvas subtitle of a freshly added Exchange Proxies node (no Order ID yet)',
		matches: [/^Rotate\s*$/],
	},
};

module.exports = { EXPECTED };
