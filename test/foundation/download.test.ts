import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { checkDownloadUrl, type DownloadPolicy } from '../../nodes/shared/transport';
import { EMULATOR_KEYS, type Emulator, FIXTURES, startEmulator } from '../emulator';
import { callSigned } from '../emulator/signed-client';
import { emulatorCredentials } from '../helpers/credentials';
import { runNode } from '../helpers/engine';
import { PROBE_NODE_TYPE, type ProbeItem } from './probe/alibabaProbe';

const policy = (overrides: Partial<DownloadPolicy> = {}): DownloadPolicy => ({
	allowedHosts: [],
	maxBytes: 10 * 1024 * 1024,
	what: 'the call log of instance abc',
	...overrides,
});

describe('checkDownloadUrl', () => {
	const accepted = (url: string, p: DownloadPolicy = policy(), trusted: string[] = []) => {
		const result = checkDownloadUrl(url, p, trusted);
		expect(typeof result).not.toBe('string');
		return result as URL;
	};
	const rejected = (url: string, p: DownloadPolicy = policy(), trusted: string[] = []) => {
		const result = checkDownloadUrl(url, p, trusted);
		expect(typeof result).toBe('string');
		expect(result).toContain('the call log of instance abc');
		return result as string;
	};

	it('accepts HTTPS on Alibaba Cloud hosts', () => {
		expect(accepted('https://bucket.oss-cn-shanghai.aliyuncs.com/a/b.json?Expires=1&Signature=x').hostname).toBe(
			'bucket.oss-cn-shanghai.aliyuncs.com',
		);
		accepted('https://aliyuncs.com/x.json');
		accepted('https://ICE-Logs.OSS-CN-BEIJING.ALIYUNCS.COM/x.json');
	});

	it('rejects plain HTTP, even on an Alibaba host, and names the file', () => {
		expect(rejected('http://bucket.oss-cn-shanghai.aliyuncs.com/a.json')).toMatch(/does not use HTTPS/);
	});

	it('rejects other hosts and look-alikes unless the user allowed them', () => {
		for (const url of [
			'https://evil.example.com/x.json',
			'https://aliyuncs.com.evil.example/x.json',
			'https://evilaliyuncs.com/x.json',
			'https://bucket.aliyuncs.com@evil.example/x.json',
		]) {
			expect(rejected(url)).toMatch(/not an Alibaba Cloud host.*Allowed Download Hosts/);
		}
		expect(rejected('not a url')).toMatch(/not a valid URL/);
	});

	it('accepts hosts listed exactly or by *.wildcard (subdomains only, case-insensitive)', () => {
		const p = policy({ allowedHosts: ['files.example.com', ' *.CDN.example.org ', ''] });
		accepted('https://files.example.com/x.json', p);
		accepted('https://a.cdn.example.org/x.json', p);
		accepted('https://a.b.cdn.example.org/x.json', p);
		rejected('https://cdn.example.org/x.json', p);
		rejected('https://x.files.example.com/x.json', p);
		rejected('https://evilcdn.example.org/x.json', p);
		rejected('http://files.example.com/x.json', p);
	});

	it('accepts exactly the origins of configured custom endpoints, HTTP included', () => {
		const trusted = ['http://127.0.0.1:9000', 'https://ice-vpc.internal:8443'];
		accepted('http://127.0.0.1:9000/calllogs/a.json', policy(), trusted);
		accepted('https://ice-vpc.internal:8443/a.json', policy(), trusted);
		rejected('http://127.0.0.1:9001/calllogs/a.json', policy(), trusted);
		rejected('https://127.0.0.1:9000/calllogs/a.json', policy(), trusted);
	});
});

describe('downloadJson inside the engine', () => {
	let emu: Emulator;
	let side: Server;
	let sideUrl: string;
	const sideHits: string[] = [];
	let openSockets = 0;

	beforeAll(async () => {
		emu = await startEmulator({ port: 0 });
		// A second origin for what the emulator cannot do: a redirect and a body without Content-Length.
		side = createServer((req, res) => {
			sideHits.push(req.url ?? '');
			if (req.url?.startsWith('/redirect')) {
				res.writeHead(302, { location: `${emu.url}/calllogs/${FIXTURES.ice.seedInstanceId}.json` });
				res.end();
				return;
			}
			const total = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('bytes') ?? 0);
			res.writeHead(200, { 'content-type': 'application/json' });
			const piece = Buffer.alloc(64 * 1024, 0x20);
			let sent = 0;
			const pump = () => {
				while (sent < total && !res.destroyed) {
					sent += piece.length;
					if (!res.write(piece)) return void res.once('drain', pump);
				}
				res.end('{}');
			};
			pump();
		});
		side.on('connection', (socket) => {
			openSockets++;
			socket.on('close', () => openSockets--);
		});
		await new Promise<void>((resolve) => side.listen(0, '127.0.0.1', resolve));
		sideUrl = `http://127.0.0.1:${(side.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		side.closeAllConnections();
		await new Promise((resolve) => side.close(resolve));
		await emu.close();
	});
	beforeEach(() => {
		emu.reset();
		sideHits.length = 0;
	});

	async function download(url: string, p: DownloadPolicy, overrides: ICredentialDataDecryptedObject = {}) {
		const item: ProbeItem = { op: 'download', url, policy: p };
		return await runNode(
			PROBE_NODE_TYPE,
			{ concurrency: 1, retry: JSON.stringify({ maxRetries: 2, baseDelayMs: 2, maxDelayMs: 4 }) },
			{
				input: [item] as unknown as IDataObject[],
				// The side server is a configured endpoint origin, as a VPC or proxy endpoint would be.
				credentials: emulatorCredentials(emu.url, EMULATOR_KEYS, { dianjinEndpoint: sideUrl, ...overrides }),
			},
		);
	}

	/** The signed CallLogUrl the emulator hands out, as a node would get it from DescribeAIAgentInstance. */
	async function callLogUrl(instanceId: string): Promise<string> {
		const res = await callSigned({
			baseUrl: emu.url,
			action: 'DescribeAIAgentInstance',
			version: FIXTURES.ice.version,
			query: { InstanceId: instanceId },
		});
		const url = res.json.Instance.CallLogUrl as string;
		expect(url).toMatch(/\?Expires=\d+&OSSAccessKeyId=.+&Signature=/);
		emu.reset();
		return url;
	}

	const what = (id: string) => `the call log of instance ${id}`;
	const failure = (run: Awaited<ReturnType<typeof download>>) => {
		const error = run.error('Node');
		expect(error).toBeDefined();
		// A signed URL's query is a credential for the file: the error must not repeat it.
		expect(JSON.stringify(error)).not.toMatch(/Signature=|OSSAccessKeyId=|Expires=/);
		return error!;
	};

	it('downloads and parses a call log from a configured endpoint origin', async () => {
		const id = FIXTURES.ice.seedInstanceId;
		const run = await download(await callLogUrl(id), policy({ what: what(id) }));
		expect(run.error('Node')).toBeUndefined();
		const log = run.items[0].json.result as IDataObject;
		expect(log.instanceid).toBe(id);
		expect(log.dialog).toHaveLength(FIXTURES.ice.seedSentenceCount);
	});

	it('retries a transient 503 on the download and then succeeds', async () => {
		const id = FIXTURES.ice.seedInstanceId;
		const url = await callLogUrl(id);
		emu.addFault({ kind: 'serverError', match: { pathIncludes: '/calllogs/' } });
		const run = await download(url, policy({ what: what(id) }));
		expect(run.error('Node')).toBeUndefined();
		expect(emu.countCalls('/calllogs/')).toBe(2);
	});

	it('does not trust the emulator origin once custom endpoints are off (it is plain HTTP)', async () => {
		const run = await download(`${emu.url}/calllogs/${FIXTURES.ice.seedInstanceId}.json`, policy(), { customEndpoints: false });
		expect(failure(run).message).toMatch(/UntrustedUrl: The URL of the call log of instance abc does not use HTTPS/);
		expect(emu.requests).toHaveLength(0);
	});

	it('refuses a host that is neither Alibaba\'s nor allowed, without connecting to it', async () => {
		const run = await download('https://files.example.com/log.json?Signature=abc', policy());
		expect(failure(run).message).toMatch(/points to files\.example\.com, which is not an Alibaba Cloud host/);
	});

	it.each([
		['callLogExpired', 403, 'AccessDenied: Request has expired.'],
		['callLogNotFound', 404, 'NoSuchKey: The specified key does not exist.'],
	] as const)('names the file when the link answers %s (HTTP %i) with OSS\'s code', async (kind, status, said) => {
		const id = FIXTURES.ice.seedInstanceId;
		const url = await callLogUrl(id);
		emu.addFault({ kind });
		const error = failure(await download(url, policy({ what: what(id) })));
		expect(error.message).toContain(`FileUnavailable: ${what(id)} is not available (HTTP ${status} ${said})`);
		expect(error.message).toMatch(/Run the node again to get a fresh link/);
		expect(emu.countCalls('/calllogs/')).toBe(1);
	});

	it('reports malformed JSON with the file\'s name', async () => {
		const id = FIXTURES.ice.malformedLogInstanceId;
		const error = failure(await download(await callLogUrl(id), policy({ what: what(id) })));
		expect(error.message).toMatch(new RegExp(`InvalidJson: ${what(id)} is not valid JSON \\(.+\\)\\. The file may be truncated`));
	});

	it('refuses a file whose Content-Length is over the cap before reading it', async () => {
		const id = FIXTURES.ice.hugeLogInstanceId;
		const error = failure(await download(await callLogUrl(id), policy({ what: what(id), maxBytes: 1024 * 1024 })));
		expect(error.message).toMatch(new RegExp(`FileTooLarge: ${what(id)} is 64(\\.\\d)? MB, larger than the 1 MB limit`));
	});

	it('stops a body without Content-Length once the streamed bytes pass the cap', async () => {
		const error = failure(await download(`${sideUrl}/stream?bytes=${4 * 1024 * 1024}`, policy({ maxBytes: 1024 * 1024 })));
		expect(error.message).toMatch(/FileTooLarge: the call log of instance abc is larger than the 1 MB limit/);
	});

	it('reads a body without Content-Length that stays under the cap', async () => {
		const run = await download(`${sideUrl}/stream?bytes=${128 * 1024}`, policy({ maxBytes: 1024 * 1024 }));
		expect(run.error('Node')).toBeUndefined();
		expect(run.items[0].json.result).toEqual({});
	});

	it('does not follow a redirect from an untrusted link', async () => {
		const error = failure(await download(`${sideUrl}/redirect`, policy()));
		expect(error.message).toMatch(/the call log of instance abc answered with a redirect \(HTTP 302\); redirects are not followed/);
		expect(sideHits).toEqual(['/redirect']);
		expect(emu.countCalls('/calllogs/')).toBe(0);
		// The unread redirect body is released, not left holding its connection.
		for (let i = 0; i < 50 && openSockets > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
		expect(openSockets).toBe(0);
	});
});
