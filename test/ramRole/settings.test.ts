import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	checkDuration,
	checkExternalId,
	checkRoleArn,
	checkRoleSessionName,
	normalizePolicy,
	readRoleSettings,
	settingsFingerprint,
	stsBaseUrl,
} from '../../credentials/common/ramRole/roleSettings';
import { AlibabaCloudRamRoleApi } from '../../credentials/AlibabaCloudRamRoleApi.credentials';
import { ramRoleData } from './setup';

describe('RAM role settings are checked before STS is called', () => {
	it('Role ARN: accepts acs:ram::<account>:role/<name>, names a user ARN as such, rejects the rest', () => {
		expect(() => checkRoleArn('acs:ram::1234567890123456:role/n8n-conversations')).not.toThrow();
		expect(() => checkRoleArn('acs:ram::1234567890123456:role/Role.With_All-Chars')).not.toThrow();
		expect(() => checkRoleArn('acs:ram::1234567890123456:user/alice')).toThrow(/ARN of a RAM user, not of a role/);
		for (const bad of ['', 'arn:aws:iam::123:role/x', 'acs:ram::abc:role/x', 'acs:ram::123:role/', 'acs:ram::123:role/a b', `acs:ram::123:role/${'x'.repeat(65)}`]) {
			expect(() => checkRoleArn(bad)).toThrow(/Role ARN/);
		}
	});

	it('Role Session Name: 2-64 of letters, digits . @ - _', () => {
		for (const good of ['n8n', 'ab', 'n8n@prod.worker-1_a', 'x'.repeat(64)]) expect(() => checkRoleSessionName(good)).not.toThrow();
		for (const bad of ['a', 'has space', 'ümlaut', 'x'.repeat(65), 'a/b']) expect(() => checkRoleSessionName(bad)).toThrow(/Role Session Name/);
	});

	it('Duration: whole seconds from 900 to 43200', () => {
		for (const good of [900, 3600, 43200]) expect(() => checkDuration(good)).not.toThrow();
		for (const bad of [899, 43201, 1000.5, NaN]) expect(() => checkDuration(bad)).toThrow(/from 900 to 43200/);
	});

	it('External ID: 2-1224 of letters, digits and = , . @ : / - _', () => {
		expect(() => checkExternalId('')).not.toThrow();
		expect(() => checkExternalId('abc=,.@:/-_123')).not.toThrow();
		for (const bad of ['a', 'has space', 'x'.repeat(1225), 'semi;colon']) expect(() => checkExternalId(bad)).toThrow(/External ID/);
	});

	it('Policy: a JSON policy document, sent compacted, at most 2048 characters', () => {
		expect(normalizePolicy('')).toBe('');
		expect(normalizePolicy('{\n  "Version": "1",\n  "Statement": []\n}')).toBe('{"Version":"1","Statement":[]}');
		expect(() => normalizePolicy('{"Version": "1"')).toThrow(/not valid JSON/);
		expect(() => normalizePolicy('[]')).toThrow(/RAM policy document/);
		expect(() => normalizePolicy('{"Version": "1"}')).toThrow(/RAM policy document/);
		const long = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'x'.repeat(2100), Resource: '*' }] });
		expect(() => normalizePolicy(long)).toThrow(/at most 2048/);
	});

	it('STS endpoint: regional by default, VPC on request, a custom endpoint wins', () => {
		expect(stsBaseUrl({ region: 'cn-hangzhou' })).toBe('https://sts.cn-hangzhou.aliyuncs.com');
		expect(stsBaseUrl({ region: 'ap-southeast-1', stsEndpointType: 'vpc' })).toBe('https://sts-vpc.ap-southeast-1.aliyuncs.com');
		expect(stsBaseUrl({ region: 'cn-hangzhou', customEndpoints: true, stsEndpoint: 'sts.example.internal/' })).toBe('https://sts.example.internal');
		expect(stsBaseUrl({ region: 'cn-hangzhou', customEndpoints: false, stsEndpoint: 'http://127.0.0.1:9' })).toBe('https://sts.cn-hangzhou.aliyuncs.com');
	});

	it('the Test button reaches the same STS host preAuthentication uses', () => {
		const expression = (new AlibabaCloudRamRoleApi().test.request.baseURL as string).replace(/^=\{\{\s*|\s*\}\}$/g, '');
		const evaluate = (credentials: Record<string, unknown>) =>
			new Function('$credentials', `return ${expression};`)(credentials) as string;
		for (const credentials of <ICredentialDataDecryptedObject[]>[
			{ region: 'cn-hangzhou' },
			{ region: 'cn-beijing', stsEndpointType: 'vpc' },
			{ region: 'cn-beijing', customEndpoints: true, stsEndpoint: 'http://127.0.0.1:8080/' },
			{ region: 'cn-beijing', customEndpoints: true, stsEndpoint: 'sts.internal' },
		]) {
			expect(evaluate(credentials)).toBe(stsBaseUrl(credentials));
		}
	});

	it('any change to a setting (or the source secret) changes the fingerprint the stored key is tied to', () => {
		const base = ramRoleData('http://127.0.0.1:1');
		const fingerprint = settingsFingerprint(readRoleSettings(base));
		expect(settingsFingerprint(readRoleSettings({ ...base }))).toBe(fingerprint);
		for (const change of <ICredentialDataDecryptedObject[]>[
			{ accessKeySecret: 'other' },
			{ roleArn: 'acs:ram::1234567890123456:role/other' },
			{ roleSessionName: 'other' },
			{ durationSeconds: 1800 },
			{ externalId: 'ext-1' },
			{ policy: '{"Version":"1","Statement":[]}' },
			{ stsEndpoint: 'http://127.0.0.1:2' },
		]) {
			expect(settingsFingerprint(readRoleSettings({ ...base, ...change }))).not.toBe(fingerprint);
		}
		// The stored key itself is not a setting.
		expect(settingsFingerprint(readRoleSettings({ ...base, temporaryCredentials: '{"x":1}' }))).toBe(fingerprint);
	});
});
