'use strict';

const { Client } = require('pg');

/** n8n's own database, and the one the workflows write their rows to (as a user's would be). */
const N8N_DATABASE = 'n8n';
const DATA_DATABASE = 'calls';

async function withClient(postgres, database, fn) {
	const client = new Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

async function createDatabases(postgres) {
	await withClient(postgres, 'postgres', async (client) => {
		await client.query(`CREATE DATABASE ${N8N_DATABASE}`);
		await client.query(`CREATE DATABASE ${DATA_DATABASE}`);
	});
	await withClient(postgres, DATA_DATABASE, async (client) => {
		// No unique constraint on purpose: a duplicate must show up as a second row, not as a
		// failed execution that hides which side wrote twice.
		await client.query(`CREATE TABLE archived_calls (
			id bigserial PRIMARY KEY,
			instance_id text NOT NULL,
			execution_id text NOT NULL,
			agent_id text,
			sentences integer,
			analysis jsonb,
			inserted_at timestamptz NOT NULL DEFAULT clock_timestamp()
		)`);
		await client.query(`CREATE TABLE trigger_archive (
			id bigserial PRIMARY KEY,
			instance_id text NOT NULL,
			execution_id text NOT NULL,
			status text,
			sentences integer,
			inserted_at timestamptz NOT NULL DEFAULT clock_timestamp()
		)`);
		await client.query(`CREATE TABLE chat_answers (
			id bigserial PRIMARY KEY,
			message_id text NOT NULL,
			execution_id text NOT NULL,
			agent_key text NOT NULL,
			answer jsonb,
			inserted_at timestamptz NOT NULL DEFAULT clock_timestamp()
		)`);
	});
}

/** Plain-data credential for `n8n import:credentials`: the Postgres node writes to DATA_DATABASE. */
function postgresCredential(postgres, { id = 'queue-pg', name = 'Postgres (queue test)' } = {}) {
	return {
		id,
		name,
		type: 'postgres',
		data: {
			host: postgres.host,
			port: postgres.port,
			database: DATA_DATABASE,
			user: postgres.user,
			password: postgres.password,
			ssl: 'disable',
			allowUnauthorizedCerts: false,
			maxConnections: 20,
		},
	};
}

const query = (postgres, database, text, values) => withClient(postgres, database, (client) => client.query(text, values));

/** Executions of one workflow as n8n stored them: id, status, mode. */
async function executionsOf(postgres, workflowId) {
	const { rows } = await query(
		postgres,
		N8N_DATABASE,
		'SELECT id::text AS id, status, mode, finished FROM execution_entity WHERE "workflowId" = $1 ORDER BY id',
		[workflowId],
	);
	return rows;
}

const DONE_STATUSES = ['success', 'error', 'crashed', 'canceled'];

async function finishedCount(postgres, workflowId) {
	const { rows } = await query(
		postgres,
		N8N_DATABASE,
		'SELECT count(*)::int AS n FROM execution_entity WHERE "workflowId" = $1 AND status = ANY($2)',
		[workflowId, DONE_STATUSES],
	);
	return rows[0].n;
}

module.exports = {
	N8N_DATABASE,
	DATA_DATABASE,
	withClient,
	createDatabases,
	postgresCredential,
	query,
	executionsOf,
	finishedCount,
};
