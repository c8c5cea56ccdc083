'use strict';
// Part of the mutation check's table: the credential (the key only to a safe base URL, its test).
const { CREDENTIAL, t } = require('./files');

module.exports = [
	{
		guard: 'credential authenticate gate (key only to a safe base URL)',
		file: CREDENTIAL,
		find: 'Authorization: `={{ ${BASE_URL_IS_SAFE} ? "Bearer " + $credentials.apiKey : "" }}`,',
		replace: 'Authorization: \'={{ "Bearer " + $credentials.apiKey }}\',',
		tests: t('credential'),
	},
	{
		guard: 'credential test gate (test request only to a safe base URL)',
		file: CREDENTIAL,
		find: 'baseURL: `={{ ${BASE_URL_IS_SAFE} ? String($credentials.baseUrl).trim().replace(/\\\\/+$/, "") : "https://base-url-must-use-https.invalid" }}`,',
		replace: 'baseURL: \'={{ String($credentials.baseUrl).trim().replace(/\\\\/+$/, "") }}\',',
		tests: t('credential'),
	},
	{
		guard: 'credential test: the answer is read as text (an empty list passes)',
		file: CREDENTIAL,
		find: "encoding: 'text',",
		replace: '',
		tests: t('credential'),
	},
	{
		guard: 'credential test: a status that is not 2xx fails (no ignoreHttpStatusErrors)',
		file: CREDENTIAL,
		find: "method: 'GET',",
		replace: "method: 'GET',\n\t\t\tignoreHttpStatusErrors: true,",
		tests: t('credential'),
	},
	{
		guard: 'credential test: redirects not followed',
		file: CREDENTIAL,
		find: 'disableFollowRedirect: true,',
		replace: '',
		tests: t('credential'),
	},
	{
		guard: 'credential test: 401 says the API key is invalid',
		file: CREDENTIAL,
		find: 'value: 401,',
		replace: 'value: 4010,',
		tests: t('credential'),
	},
	{
		guard: 'credential test: 403 says the key lacks the order service',
		file: CREDENTIAL,
		find: 'value: 403,',
		replace: 'value: 4030,',
		tests: t('credential'),
	},
	{
		guard: 'credential test: a redirect says it was not followed',
		file: CREDENTIAL,
		find: '...[301, 302, 303, 307, 308].map((status) => ({',
		replace: '...[].map((status: number) => ({',
		tests: t('credential'),
	},
	{
		guard: 'credential test: 404 says the Base URL does not serve the API',
		file: CREDENTIAL,
		find: 'value: 404,',
		replace: 'value: 4040,',
		tests: t('credential'),
	},
	{
		guard: 'credential test: 429 says the key could not be checked',
		file: CREDENTIAL,
		find: 'value: 429,',
		replace: 'value: 4290,',
		tests: t('credential'),
	},
	{
		guard: 'credential test: 5xx says the key could not be checked',
		file: CREDENTIAL,
		find: '...[500, 502, 503, 504].map((status) => ({',
		replace: '...[].map((status: number) => ({',
		tests: t('credential'),
	},
	{
		guard: 'credential test: a 2xx web page fails',
		file: CREDENTIAL,
		find: "value: '<',",
		replace: "value: '<!-- never -->',",
		tests: t('credential'),
	},
	{
		guard: 'credential test: a 2xx web page after blank characters fails',
		file: CREDENTIAL,
		find: '...[0, 1, 2, 3, 4, 5, 6, 7].map((index) => ({',
		replace: '...[0].map((index) => ({',
		tests: t('credential'),
	},
	{
		guard: 'credential test: an empty 2xx answer fails',
		file: CREDENTIAL,
		find: "properties: { key: 'length', value: 0, message: NOT_THE_API },",
		replace: "properties: { key: 'length', value: -1, message: NOT_THE_API },",
		tests: t('credential'),
	},
];
