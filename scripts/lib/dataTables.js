'use strict';

/**
 * n8n Data tables the examples write to. A Data table node that names its table (mode "By
 * Name") and lists its columns in the mapping says everything needed to create the table, so
 * `npm start` and the end-to-end test create exactly what the example files expect.
 */

const DATA_TABLE_NODE = 'n8n-nodes-base.dataTable';

/** Column types of the node's mapping → Data table column types. */
const COLUMN_TYPES = { string: 'string', number: 'number', boolean: 'boolean', dateTime: 'date' };

/** Each table the examples name, once: {name, columns: [{name, type}], usedBy: [workflow names]}. */
function requiredDataTables(examples) {
	const tables = new Map();
	for (const { workflow } of examples) {
		for (const node of workflow.nodes ?? []) {
			const locator = node.parameters?.dataTableId;
			if (node.type !== DATA_TABLE_NODE || locator?.mode !== 'name' || !locator.value) continue;
			const name = String(locator.value);
			const table = tables.get(name) ?? { name, columns: [], usedBy: [] };
			for (const column of node.parameters.columns?.schema ?? []) {
				if (table.columns.some((known) => known.name === column.id)) continue;
				table.columns.push({ name: column.id, type: COLUMN_TYPES[column.type] ?? 'string' });
			}
			if (!table.usedBy.includes(workflow.name)) table.usedBy.push(workflow.name);
			tables.set(name, table);
		}
	}
	return [...tables.values()];
}

async function personalProjectId(n8n) {
	const response = await n8n.rest('GET', '/rest/projects/personal');
	if (response.status !== 200 || !response.body?.data?.id) {
		throw new Error(`GET /rest/projects/personal: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
	}
	return response.body.data.id;
}

async function findDataTable(n8n, projectId, name) {
	const filter = encodeURIComponent(JSON.stringify({ name }));
	const response = await n8n.rest('GET', `/rest/projects/${projectId}/data-tables?filter=${filter}&take=10`);
	if (response.status !== 200) throw new Error(`listing data tables: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
	return (response.body.data?.data ?? []).find((table) => table.name === name);
}

/**
 * Creates the table in the logged-in user's personal project unless one of that name exists;
 * columns an existing table lacks are added. Resolves with {id, projectId, created, added}.
 */
async function ensureDataTable(n8n, table) {
	const projectId = await personalProjectId(n8n);
	const existing = await findDataTable(n8n, projectId, table.name);
	if (!existing) {
		const response = await n8n.rest('POST', `/rest/projects/${projectId}/data-tables`, { name: table.name, columns: table.columns });
		if (response.status !== 200) {
			throw new Error(`creating data table ${table.name}: ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
		}
		return { id: response.body.data.id, projectId, created: true, added: [] };
	}
	const columns = await n8n.rest('GET', `/rest/projects/${projectId}/data-tables/${existing.id}/columns`);
	const have = new Set((columns.body?.data ?? []).map((column) => column.name));
	const added = [];
	for (const column of table.columns.filter((wanted) => !have.has(wanted.name))) {
		const response = await n8n.rest('POST', `/rest/projects/${projectId}/data-tables/${existing.id}/columns`, column);
		if (response.status !== 200) throw new Error(`adding column ${column.name} to ${table.name}: ${response.status}`);
		added.push(column.name);
	}
	return { id: existing.id, projectId, created: false, added };
}

/** Every row of a table, oldest first, as the REST API gives them (with id, createdAt, updatedAt). */
async function dataTableRows(n8n, { id, projectId }) {
	const rows = [];
	for (let skip = 0; ; skip += 100) {
		const response = await n8n.rest('GET', `/rest/projects/${projectId}/data-tables/${id}/rows?take=100&skip=${skip}&sortBy=${encodeURIComponent('id:asc')}`);
		if (response.status !== 200) throw new Error(`reading rows: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
		const page = response.body.data?.data ?? [];
		rows.push(...page);
		if (page.length < 100) return rows;
	}
}

module.exports = { requiredDataTables, ensureDataTable, dataTableRows, DATA_TABLE_NODE };
