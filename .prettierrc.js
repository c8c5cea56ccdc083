// The formatting n8n's own node templates use, so that contributions look like n8n code.
module.exports = {
	semi: true,
	trailingComma: 'all',
	useTabs: true,
	tabWidth: 2,
	singleQuote: true,
	printWidth: 100,
	endOfLine: 'lf',
};
