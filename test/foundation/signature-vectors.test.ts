import { createHmac } from 'node:crypto';

import OpenApiUtil from '@alicloud/openapi-util';

import { EMPTY_BODY_SHA256, sha256Hex, signAcs3 } from '../../credentials/common/acs3Signature';

/**
 * Fixed vectors from /work/shared/reference/alibaba-cloud-apis.md §5.5: the official V3 doc
 * example, the ROA JSON example and the SDK unit-test vector, all through the package's signer.
 */
describe('ACS3 signature: published vectors', () => {
	it('reproduces the official V3 doc example (§5.5.1): canonical request, its hash and the signature', () => {
		const signed = signAcs3(
			{
				method: 'POST',
				pathname: '/',
				query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
				headers: {
					host: 'ecs.cn-shanghai.aliyuncs.com',
					'x-acs-action': 'RunInstances',
					'x-acs-version': '2014-05-26',
					'x-acs-date': '2023-10-26T10:22:32Z',
					'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
					'x-acs-content-sha256': EMPTY_BODY_SHA256,
				},
				payloadHash: EMPTY_BODY_SHA256,
			},
			'YourAccessKeyId',
			'YourAccessKeySecret',
		);
		expect(signed.canonicalRequest).toBe(
			[
				'POST',
				'/',
				'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
				'host:ecs.cn-shanghai.aliyuncs.com',
				'x-acs-action:RunInstances',
				`x-acs-content-sha256:${EMPTY_BODY_SHA256}`,
				'x-acs-date:2023-10-26T10:22:32Z',
				'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
				'x-acs-version:2014-05-26',
				'',
				'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
				EMPTY_BODY_SHA256,
			].join('\n'),
		);
		expect(sha256Hex(signed.canonicalRequest)).toBe('7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
		expect(signed.stringToSign).toBe(
			'ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
		);
		expect(signed.authorization).toBe(
			'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
		);
	});

	it('reproduces the ROA JSON example (§5.5.4), content-type signed', () => {
		const body = '{"stream":false,"resultTypes":["summary"],"dialogue":{"sentences":[{"role":"user","text":"hello"}]}}';
		const payloadHash = sha256Hex(body);
		expect(payloadHash).toBe('bd379676cb7a9c2aa35caa08978916770a4891c3fe77ad27a36f10e30c7636ad');
		const signed = signAcs3(
			{
				method: 'POST',
				pathname: '/llm-ws1/ccai/app/app1/analyze_conversation',
				query: {},
				headers: {
					'Content-Type': 'application/json; charset=utf-8',
					host: 'contactcenterai.cn-shanghai.aliyuncs.com',
					'x-acs-action': 'AnalyzeConversation',
					'x-acs-version': '2024-06-03',
					'x-acs-date': '2025-01-01T00:00:00Z',
					'x-acs-signature-nonce': '00000000000000000000000000000001',
					'x-acs-content-sha256': payloadHash,
					// Not signed by Alibaba's rules; must not change the signature.
					accept: 'application/json',
					'user-agent': 'n8n',
				},
				payloadHash,
			},
			'testAK',
			'testSecret',
		);
		expect(signed.signedHeaders).toBe(
			'content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
		);
		expect(signed.authorization).toMatch(/,Signature=d28cdf451a4fe06368bedf5ec0a16f3f4fbe61a02f4de806d74a8a47f59ddb1e$/);
	});

	it('merges header names that differ only in case like the SDK unit-test vector (§5.5.3)', () => {
		const payloadHash = '55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23';
		const request = {
			query: { test: 'ok', empty: '' },
			headers: { 'x-acs-TEST': 'https', 'x-acs-test': 'http' },
		};
		// The TypeScript SDK's own test signs a bare Tea request: method `undefined` and an empty pathname,
		// which that SDK stringifies literally. signAcs3 upper-cases the method and signs an empty path as
		// `/` (what goes on the wire), so the vector is checked on everything else signAcs3 builds: the
		// query line, the merged `x-acs-test:http,https` header and SignedHeaders, re-hashed with those two
		// first lines put back as the SDK wrote them.
		const ours = signAcs3({ method: 'GET', pathname: '/', payloadHash, ...request }, 'acesskey', 'secret');
		const [, , ...rest] = ours.canonicalRequest.split('\n');
		expect(rest).toEqual(['empty=&test=ok', 'x-acs-test:http,https', '', 'x-acs-test', payloadHash]);
		const sdkCanonical = ['undefined', '', ...rest].join('\n');
		const signature = createHmac('sha256', 'secret')
			.update(`ACS3-HMAC-SHA256\n${sha256Hex(sdkCanonical)}`)
			.digest('hex');
		expect(signature).toBe('0f2d549523cf082c83bb8135b5863614f7fe16ca7c2c7fc537e74d67374eeeac');
		expect(ours.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=/);

		// The same request with a real method and path: the SDK's function agrees byte for byte, and this is
		// the value the Python SDK's own unit test expects for it.
		const sdk = OpenApiUtil.getAuthorization(
			{ method: 'GET', pathname: '/', ...request } as never,
			'ACS3-HMAC-SHA256',
			payloadHash,
			'acesskey',
			'secret',
		);
		expect(ours.authorization).toBe(sdk);
		expect(sdk).toMatch(/Signature=d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1$/);
	});
});
