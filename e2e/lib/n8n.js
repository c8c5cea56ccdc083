'use strict';
// Kept for case files written against this path: the n8n driver lives in lab/n8n/.
const n8n = require('../../lab/n8n');

module.exports = { ...n8n, exportExecutions: (folder) => n8n.storedExecutions(folder) };
