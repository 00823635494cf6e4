import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

/** S3_BUCKET, S3_PREFIX and S3_FORCE_PATH_STYLE: checked at start, each bad value naming its variable. */
const base = { NODE_ENV: 'test' };

describe('blob store configuration', () => {
  it('keeps blobs on disk when S3_BUCKET is unset', () => {
    assert.equal(loadConfig(base).s3, null);
  });

  it('reads the bucket, the prefix (without its trailing slash) and path style', () => {
    assert.deepEqual(loadConfig({ ...base, S3_BUCKET: 'alertautec-prod', S3_PREFIX: 'campus/utec/', S3_FORCE_PATH_STYLE: '1' }).s3, {
      bucket: 'alertautec-prod',
      prefix: 'campus/utec',
      forcePathStyle: true,
    });
    assert.deepEqual(loadConfig({ ...base, S3_BUCKET: 'my.bucket-1' }).s3, { bucket: 'my.bucket-1', prefix: '', forcePathStyle: false });
  });

  it('refuses bad bucket names, naming S3_BUCKET', () => {
    for (const bucket of ['ab', 'Upper', 'under_score', '-leading', 'trailing-', 'two..dots', '192.168.1.1', 'x'.repeat(64), 'a/b']) {
      assert.throws(() => loadConfig({ ...base, S3_BUCKET: bucket }), (error: unknown) => error instanceof ConfigError && /S3_BUCKET/.test(error.message), bucket);
    }
  });

  it('refuses bad prefixes, and a prefix without a bucket, naming S3_PREFIX', () => {
    for (const prefix of ['../up', '/abs', 'a//b', '.hidden', 'a b', 'ñ']) {
      assert.throws(() => loadConfig({ ...base, S3_BUCKET: 'alertautec', S3_PREFIX: prefix }), (error: unknown) => error instanceof ConfigError && /S3_PREFIX/.test(error.message), prefix);
    }
    assert.throws(() => loadConfig({ ...base, S3_PREFIX: 'campus' }), (error: unknown) => error instanceof ConfigError && /S3_PREFIX/.test(error.message));
    assert.throws(() => loadConfig({ ...base, S3_BUCKET: 'alertautec', S3_FORCE_PATH_STYLE: 'maybe' }), (error: unknown) => error instanceof ConfigError && /S3_FORCE_PATH_STYLE/.test(error.message));
  });
});
