/**
 * The OpenAPI 3.1 document of /api/v1, generated from the endpoint list and its zod schemas
 * (zod 4's JSON Schema output), plus the job spec's own JSON Schema at /api/schema/job.json.
 *
 * Why not trpc-to-openapi: it needs `.meta({ openapi })` and an output schema on every tRPC
 * procedure, and the existing procedures (the web's) have no output schemas; REST paths and
 * bodies (`/jobs/{id}/retry`, imports as raw text) also differ from the procedures'. Writing the
 * document from the same schemas the handlers validate with keeps the two from drifting.
 */
import {
  FARM_EVENT_KINDS,
  farmEventPayloadSchemas,
  JOB_SPEC_VERSION,
  jobSpecSchema,
  submissionSchema,
  WEBHOOK_HEADERS,
  WEBHOOK_TOLERANCE_S,
} from '@farmhand/contracts';
import { z } from 'zod';
import { ENDPOINTS } from './endpoints';
import { API_PREFIX } from './router';

const json = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

export function jobSpecJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(jobSpecSchema, { io: 'input' }),
    $id: '/api/schema/job.json',
    title: `Farmhand job spec, version ${JOB_SPEC_VERSION}`,
    description: 'One job: show, shot, user, priority, max retries, layers. A submission of many jobs with depends is #/$defs/submission.',
    $defs: { submission: json(submissionSchema, 'input') },
  };
}

const errorResponse = {
  description: 'An error: `{error: {code, message, fields: [{path, message}]}}`',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/** What each webhook receives (OpenAPI 3.1 `webhooks`): the body by event kind and the signature headers. */
function webhookDocs(): Record<string, unknown> {
  const header = (name: string, description: string) => ({ name, in: 'header', required: true, description, schema: { type: 'string' } });
  return Object.fromEntries(
    FARM_EVENT_KINDS.map((kind) => [
      kind,
      {
        post: {
          summary: `${kind}, POSTed to each webhook that asked for it`,
          parameters: [
            header(
              WEBHOOK_HEADERS.signature,
              `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the webhook's secret>; refuse it when t is more than ${WEBHOOK_TOLERANCE_S} s away (a replay). verifyWebhook() in @farmhand/sdk does both.`,
            ),
            header(WEBHOOK_HEADERS.event, 'the event kind'),
            header(WEBHOOK_HEADERS.delivery, 'the delivery id (one per event and webhook; the same on every retry)'),
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['eventId', 'kind', 'createdAt', 'data'],
                  properties: {
                    eventId: { type: 'integer', description: 'the same on a retry: drop one you have seen' },
                    kind: { const: kind },
                    createdAt: { type: 'string', format: 'date-time' },
                    data: json(farmEventPayloadSchemas[kind], 'output'),
                  },
                },
              },
            },
          },
          responses: {
            '2XX': { description: 'Delivered. Anything else (or no answer in 10 s) is tried again with exponential backoff.' },
          },
        },
      },
    ]),
  );
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ENDPOINTS) {
    const parameters = [
      ...[...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...(e.query
        ? Object.entries((json(e.query, 'input') as { properties?: Record<string, unknown>; required?: string[] }).properties ?? {}).map(
            ([name, schema]) => ({
              name,
              in: 'query',
              required: false,
              schema,
            }),
          )
        : []),
    ];
    const operation: Record<string, unknown> = {
      operationId: `${e.method.toLowerCase()}${e.path.replace(/\{(\w+)\}/g, 'By-$1').replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: e.summary,
      tags: [e.tag],
      parameters,
      responses: {
        [String(e.status ?? 200)]: {
          description: 'OK',
          content:
            e.response === 'text'
              ? { 'text/plain': { schema: { type: 'string' } } }
              : { 'application/json': { schema: json(e.response, 'output') } },
        },
        '400': errorResponse,
        '401': errorResponse,
        '403': errorResponse,
        '404': errorResponse,
        '409': errorResponse,
      },
      security: [{ bearer: [] }],
      'x-farmhand-access': e.access,
    };
    if (e.textBody) operation.requestBody = { required: true, content: { 'text/plain': { schema: { type: 'string' } } } };
    else if (e.body) operation.requestBody = { required: true, content: { 'application/json': { schema: json(e.body, 'input') } } };
    paths[`${API_PREFIX}${e.path}`] = { ...paths[`${API_PREFIX}${e.path}`], [e.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Farmhand REST API',
      version: String(JOB_SPEC_VERSION),
      description:
        'Scripts and pipeline tools: submit, list with filters and cursor pagination, act on jobs, frames and hosts, read logs, predefined production queries. ' +
        'Send an API token (made on the web page /account, scoped read / submit / act) as `Authorization: Bearer <token>`; ' +
        'without one the API answers 401 unless the farm runs in local mode (loopback only, where x-farmhand-user names who asks). ' +
        'Each operation says which right it needs (x-farmhand-access).',
    },
    paths,
    webhooks: webhookDocs(),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token from /account' } },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, fields: { type: 'array' } } },
          },
        },
      },
    },
  };
}
