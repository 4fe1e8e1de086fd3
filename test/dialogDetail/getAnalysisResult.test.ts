import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../helpers/engine';
import { DIANJIN, errorText, expectNoSecrets, jsonOf, NODE_TYPE, pairedIndexes, useEmulator } from './setup';

const ctx = useEmulator();

const [S0, S1, S2, S3, S4, S5] = DIANJIN.sessionIds;

const analysisParameters = (extra: IDataObject = {}): IDataObject => ({
	operation: 'getAnalysisResult',
	workspaceId: DIANJIN.workspaceId,
	returnAll: true,
	...extra,
});

const analysisRequests = () => ctx.emulator.requests.filter((r) => r.action === 'GetDialogAnalysisResult');
const fileDownloads = () => ctx.emulator.requests.filter((r) => r.path.startsWith('/dianjin/analysis/'));

function expectNoSignedUrl(value: unknown) {
	const text = JSON.stringify(value);
	for (const fragment of ['ossUrl', 'Signature', 'OSSAccessKeyId', 'Expires', '/dianjin/analysis/', 'http']) {
		expect(text).not.toContain(fragment);
	}
}

describe('Alibaba Dialog Detail: getAnalysisResult', () => {
	it('by session IDs inline: analysis for finished sessions, status only for running ones', async () => {
		const result = await runNode(
			NODE_TYPE,
			analysisParameters({ sessionIds: `${DIANJIN.processingSessionId}, ${DIANJIN.completedSessionId}`, delivery: 'inline' }),
			{ credentials: ctx.credentials },
		);

		expect(result.run.status).toBe('success');
		const json = jsonOf(result.items);
		// DianJin lists by creation time, oldest first: S1 (09:15) before S4 (16:30).
		expect(json.map((j) => j.sessionId)).toEqual([DIANJIN.completedSessionId, DIANJIN.processingSessionId]);
		expect(json[0]).toMatchObject({ status: 'success', gmtCreate: DIANJIN.sessionTimes[1] });
		const analysis = json[0].analysis as IDataObject;
		expect(analysis.dialogLabels).toEqual(expect.arrayContaining([expect.objectContaining({ name: '业务类型' })]));
		expect(String(analysis.dialogSummary)).toContain('我上周买的基金一直显示确认中');
		expect((analysis.dialogOpenAnalysis as IDataObject).sessionId).toBe(DIANJIN.completedSessionId);
		expect(json[1]).toEqual({ sessionId: DIANJIN.processingSessionId, gmtCreate: DIANJIN.sessionTimes[4], status: 'running' });
		expect(pairedIndexes(result.items)).toEqual([0, 0]);

		const [request] = analysisRequests();
		expect(ctx.emulator.requests).toHaveLength(1);
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/${DIANJIN.workspaceId}/api/virtualHuman/dialog/analysis`);
		expect(request.json).toEqual({
			sessionIds: [DIANJIN.processingSessionId, DIANJIN.completedSessionId],
			useUrl: false,
			asc: true,
		});
	});

	it('by time range: sends Beijing time and outputs exactly the sessions created inside it', async () => {
		const result = await runNode(
			NODE_TYPE,
			analysisParameters({
				selectBy: 'timeRange',
				startTime: '2025-08-14T09:00:00+08:00',
				endTime: '2025-08-14T06:05:00Z',
			}),
			{ credentials: ctx.credentials },
		);

		expect(result.run.status).toBe('success');
		// 09:00–14:05 Beijing: S1 09:15, S2 11:40 and S3 at exactly 14:05 (inclusive); not S0 02:10, S4 16:30, S5 20:50.
		expect(jsonOf(result.items).map((j) => j.sessionId)).toEqual([S1, S2, S3]);
		expect(analysisRequests()[0].json).toEqual({
			startTime: '2025-08-14 09:00:00',
			endTime: '2025-08-14 14:05:00',
			useUrl: true,
			asc: true,
		});
		expect(jsonOf(result.items).every((j) => j.status === 'success' && typeof j.analysis === 'object')).toBe(true);
	});

	it("reads times without a zone in the workflow's time zone", async () => {
		// The harness workflow sets no time zone, so n8n's default America/New_York (UTC-4 in August) applies.
		const result = await runNode(
			NODE_TYPE,
			analysisParameters({
				selectBy: 'timeRange',
				startTime: '2025-08-13T22:00:00',
				endTime: '2025-08-14T02:00:00',
				delivery: 'inline',
			}),
			{ credentials: ctx.credentials },
		);

		expect(analysisRequests()[0].json).toMatchObject({ startTime: '2025-08-14 10:00:00', endTime: '2025-08-14 14:00:00' });
		expect(jsonOf(result.items).map((j) => j.sessionId)).toEqual([S2]);
	});

	it('reads a time without a zone with the offset in force at that time, on the day daylight saving starts', async () => {
		// New York moved from UTC-5 to UTC-4 at 02:00 local (07:00 UTC) on 2025-03-09: 01:30 is EST, 03:30 EDT.
		await runNode(
			NODE_TYPE,
			analysisParameters({
				selectBy: 'timeRange',
				startTime: '2025-03-09T01:30:00',
				endTime: '2025-03-09T03:30:00',
				delivery: 'inline',
			}),
			{ credentials: ctx.credentials },
		);

		// 06:30 UTC and 07:30 UTC: one hour apart, although the wall clock moved two.
		expect(analysisRequests()[0].json).toMatchObject({ startTime: '2025-03-09 14:30:00', endTime: '2025-03-09 15:30:00' });
	});

	it('accepts Luxon DateTimes from expressions, as a scheduled "yesterday" workflow would pass them', async () => {
		const result = await runNode(
			NODE_TYPE,
			analysisParameters({
				selectBy: 'timeRange',
				startTime: "={{ DateTime.fromISO('2025-08-14T00:00:00', { zone: 'Asia/Shanghai' }) }}",
				endTime: "={{ DateTime.fromISO('2025-08-14T00:00:00', { zone: 'Asia/Shanghai' }).endOf('day') }}",
				returnAll: false,
				limit: 10,
			}),
			{ credentials: ctx.credentials },
		);

		expect(analysisRequests()[0].json).toMatchObject({ startTime: '2025-08-14 00:00:00', endTime: '2025-08-14 23:59:59' });
		expect(jsonOf(result.items).map((j) => j.sessionId)).toEqual([S0, S1, S2, S3, S4, S5]);
	});

	it('via URL: downloads each finished session\'s file and outputs the analysis inline, never the link', async () => {
		const inline = await runNode(
			NODE_TYPE,
			analysisParameters({ sessionIds: `${S0},${S3},${S4}`, delivery: 'inline' }),
			{ credentials: ctx.credentials },
		);
		ctx.emulator.reset();

		const viaUrl = await runNode(NODE_TYPE, analysisParameters({ sessionIds: `${S0}\n${S3}\n${S4}`, delivery: 'url' }), {
			credentials: ctx.credentials,
		});

		expect(viaUrl.run.status).toBe('success');
		const json = jsonOf(viaUrl.items);
		expect(json.map((j) => [j.sessionId, j.status])).toEqual([
			[S0, 'success'],
			[S3, 'success'],
			[S4, 'running'],
		]);
		// The downloaded analysis is the same object DianJin would have sent inline.
		expect(json).toEqual(jsonOf(inline.items));
		expect(json[2]).not.toHaveProperty('analysis');
		expect(analysisRequests()[0].json).toMatchObject({ useUrl: true });
		expect(fileDownloads().map((r) => r.path).sort()).toEqual([`/dianjin/analysis/${S0}.json`, `/dianjin/analysis/${S3}.json`]);
		expect(fileDownloads().every((r) => r.status === 200 && r.query.Signature !== undefined)).toBe(true);
		expectNoSignedUrl(json);
		expectNoSecrets(json);
	});

	it('fails before any call when inline delivery is asked for more than 10 sessions', async () => {
		const ids = [...DIANJIN.sessionIds, ...Array.from({ length: 5 }, (_, i) => `19066239238155350${50 + i}`)];
		const result = await runNode(NODE_TYPE, analysisParameters({ sessionIds: ids.join(','), delivery: 'inline' }), {
			credentials: ctx.credentials,
		});

		const error = result.error('Node');
		expect(error?.message).toBe('11 session IDs given, but DianJin returns at most 10 per call with Inline delivery');
		expect(errorText(error)).toContain('Via File');
		expect(ctx.emulator.requests).toHaveLength(0);
	});

	it('counts repeated IDs once, so 10 distinct IDs written twice still go inline', async () => {
		const ten = [...DIANJIN.sessionIds, ...Array.from({ length: 4 }, (_, i) => `19066239238155350${60 + i}`)];
		const result = await runNode(
			NODE_TYPE,
			analysisParameters({ sessionIds: '={{ $json.ids }}', delivery: 'inline' }),
			{ credentials: ctx.credentials, input: [{ ids: [...ten, ...ten] }] },
		);

		expect(result.run.status).toBe('success');
		expect((analysisRequests()[0].json as IDataObject).sessionIds).toEqual(ten);
		expect(result.items).toHaveLength(DIANJIN.sessionIds.length);
	});

	it('Limit keeps the first sessions and downloads only their files; Oldest First off turns the order', async () => {
		const day = { selectBy: 'timeRange', startTime: '2025-08-14T00:00:00+08:00', endTime: '2025-08-14T23:59:59+08:00' };
		const oldest = await runNode(NODE_TYPE, analysisParameters({ ...day, returnAll: false, limit: 2 }), {
			credentials: ctx.credentials,
		});
		expect(jsonOf(oldest.items).map((j) => j.sessionId)).toEqual([S0, S1]);
		expect(fileDownloads()).toHaveLength(2);

		ctx.emulator.reset();
		const newest = await runNode(
			NODE_TYPE,
			analysisParameters({ ...day, returnAll: false, limit: 2, options: { oldestFirst: false } }),
			{ credentials: ctx.credentials },
		);
		expect((analysisRequests()[0].json as IDataObject).asc).toBe(false);
		expect(jsonOf(newest.items).map((j) => [j.sessionId, j.status])).toEqual([
			[S5, 'success'],
			[S4, 'running'],
		]);
		expect(fileDownloads()).toHaveLength(1);
	});

	it('fails the item, naming the session, when an analysis file is larger than Max Download Size', async () => {
		const result = await runNode(
			NODE_TYPE,
			analysisParameters({ sessionIds: DIANJIN.completedSessionId, options: { maxDownloadSizeMb: 0.0001 } }),
			{ credentials: ctx.credentials },
		);

		const error = result.error('Node');
		expect(error?.message).toContain('FileTooLarge');
		expect(error?.message).toContain(`the analysis file of session ${DIANJIN.completedSessionId}`);
		expectNoSignedUrl(errorText(error));
		expectNoSecrets(error);
	});

	it('pairs each session with the input item that asked for it, item after item', async () => {
		const result = await runNode(
			NODE_TYPE,
			analysisParameters({ sessionIds: '={{ $json.ids }}', delivery: 'inline' }),
			{ credentials: ctx.credentials, input: [{ ids: `${S0},${S5}` }, { ids: S2 }] },
		);

		expect(jsonOf(result.items).map((j) => j.sessionId)).toEqual([S0, S5, S2]);
		expect(pairedIndexes(result.items)).toEqual([0, 0, 1]);
	});

	it('continue-on-fail keeps a failing item in its place', async () => {
		const result = await runNode(
			NODE_TYPE,
			analysisParameters({ workspaceId: '={{ $json.ws }}', sessionIds: S1, delivery: 'inline' }),
			{
				credentials: ctx.stsCredentials,
				continueOnFail: true,
				input: [{ ws: DIANJIN.workspaceId }, { ws: 'llm-no-such-workspace' }, { ws: DIANJIN.workspaceId }],
			},
		);

		const json = jsonOf(result.items);
		expect(pairedIndexes(result.items)).toEqual([0, 1, 2]);
		expect(json[0].sessionId).toBe(S1);
		expect(String(json[1].error)).toContain('WORKSPACE_NOT_EXIST');
		expect(String(json[1].error)).toContain(`session ${S1} in workspace llm-no-such-workspace`);
		expect(json[2].sessionId).toBe(S1);
		expectNoSecrets(json);
	});

	it('rejects a start time after the end time before calling DianJin', async () => {
		const result = await runNode(
			NODE_TYPE,
			analysisParameters({ selectBy: 'timeRange', startTime: '2025-08-15T00:00:00Z', endTime: '2025-08-14T00:00:00Z' }),
			{ credentials: ctx.credentials },
		);

		expect(result.error('Node')?.message).toBe(
			'Start Time (2025-08-15 08:00:00) is after End Time (2025-08-14 08:00:00), Beijing time',
		);
		expect(ctx.emulator.requests).toHaveLength(0);
	});

	it('outputs nothing when no session was created in the range', async () => {
		const result = await runNode(
			NODE_TYPE,
			analysisParameters({ selectBy: 'timeRange', startTime: '2025-08-15T00:00:00+08:00', endTime: '2025-08-15T23:59:59+08:00' }),
			{ credentials: ctx.credentials },
		);

		expect(result.run.status).toBe('success');
		expect(result.items).toHaveLength(0);
		expect(analysisRequests()).toHaveLength(1);
	});
});
