'use strict';
// Kept for case files written against this path: the REST client lives in lab/n8n/rest.js.
const rest = require('../../lab/n8n/rest');
const { OWNER } = require('../../lab/instance');

module.exports = { ...rest, DEFAULT_OWNER: OWNER };
