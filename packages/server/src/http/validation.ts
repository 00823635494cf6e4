import AjvModule, { type Options } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { isSafeLine, isSafeText } from '@alertautec/core';

// ajv-formats is CommonJS; under ESM its plugin may sit one `default` deeper.
type Ajv = AjvModule.default;
const Ajv = AjvModule.default;
type FormatsPlugin = (ajv: Ajv) => Ajv;
const addFormats = ((ajvFormats as unknown as { default: { default?: FormatsPlugin } & FormatsPlugin }).default.default ??
  (ajvFormats as unknown as { default: FormatsPlugin }).default) as FormatsPlugin;

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, strict: false, ...options });
  addFormats(ajv);
  ajv.addFormat('line', { type: 'string', validate: isSafeLine });
  ajv.addFormat('text', { type: 'string', validate: isSafeText });
  return ajv;
}

/**
 * Bodies are validated strictly: a string where a number belongs is an error, not a
 * coercion, and unknown fields are refused, not dropped. Query strings, params and
 * headers are text by nature, so they are coerced to the schema's types.
 */
export function schemaCompilers(): FastifySchemaCompiler<unknown> {
  const strict = createAjv({ coerceTypes: false });
  const coercing = createAjv({ coerceTypes: 'array' });
  return ({ schema, httpPart }) => {
    const validate = (httpPart === 'body' ? strict : coercing).compile(schema as object);
    return validate as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}
