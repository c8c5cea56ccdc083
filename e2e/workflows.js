'use strict';
// Kept for case files written against this path: the builders live in lab/fixtures.js.
const { ORDER_NODE, orderWorkflow } = require('../lab/fixtures');

module.exports = { ORDER_NODE, orderWorkflow };
