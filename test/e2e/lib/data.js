'use strict';

const path = require('node:path');

const { LOCAL_N8N } = require('../../../scripts/lib/paths');

/** RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks) → array of objects. */
function parseCsv(text) {
	const rows = [];
	let row = [];
	let field = '';
	let quoted = false;
	const body = text.replace(/^\uFEFF/, '');
	for (let i = 0; i < body.length; i++) {
		const c = body[i];
		if (quoted) {
			if (c === '"' && body[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && body[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += c;
	}
	if (field !== '' || row.length) {
		row.push(field);
		rows.push(row);
	}
	const [header, ...records] = rows.filter((r) => r.length > 1 || r[0] !== '');
	return (records ?? []).map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
}

/** The output items (json) of a node's first run, from `n8n execute --rawOutput` run data. */
function nodeOutput(run, nodeName) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs) return undefined;
	return (runs[0]?.data?.main?.[0] ?? []).map((item) => item.json);
}

function runError(run) {
	const error = run?.data?.resultData?.error;
	if (!error) return undefined;
	return `${error.message ?? 'error'}${error.node?.name ? ` (node ${error.node.name})` : ''}${error.description ? `: ${error.description}` : ''}`;
}

/** n8n stores execution data "flatted"; the package that reads it comes with n8n. */
function unflatten(text) {
	const flatted = require(path.join(LOCAL_N8N, 'node_modules', 'flatted'));
	return flatted.parse(text);
}

module.exports = { parseCsv, nodeOutput, runError, unflatten };
