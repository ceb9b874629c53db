import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { ChangeRequest, FakeChange, FakeHostedZone, FakeRecordSet } from './route53-store.js';
import { Route53Fault } from './route53-store.js';

/** The namespace every Route 53 2013-04-01 document carries. */
export const ROUTE53_XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
});

/** A response document: `<Root xmlns="…">…</Root>` with the XML declaration Route 53 sends. */
export function document(root: string, body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: { '@_xmlns': ROUTE53_XMLNS, ...body } })}`;
}

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`, as the service answers. */
export function errorDocument(fault: Route53Fault, requestId: string): string {
  return document('ErrorResponse', {
    Error: { Type: fault.type, Code: fault.code, Message: fault.message },
    RequestId: requestId,
  });
}

export function hostedZoneXml(zone: FakeHostedZone): Record<string, unknown> {
  return {
    Id: `/hostedzone/${zone.id}`,
    Name: zone.name,
    CallerReference: zone.callerReference,
    Config: { ...(zone.comment ? { Comment: zone.comment } : {}), PrivateZone: String(zone.private) },
    ResourceRecordSetCount: zone.sets.size,
  };
}

export function recordSetXml(set: FakeRecordSet): Record<string, unknown> {
  return {
    Name: set.name,
    Type: set.type,
    TTL: set.ttl,
    ResourceRecords: { ResourceRecord: set.values.map((Value) => ({ Value })) },
  };
}

export function changeInfoXml(change: FakeChange): Record<string, unknown> {
  return {
    Id: `/change/${change.id}`,
    Status: change.status,
    SubmittedAt: change.submittedAt.toISOString(),
    ...(change.comment ? { Comment: change.comment } : {}),
  };
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  removeNSPrefix: true,
  isArray: (name) => name === 'Change' || name === 'ResourceRecord',
});

/**
 * Parses a ChangeResourceRecordSetsRequest body. Malformed XML, or a document that is not a change request,
 * fails like the service does (InvalidInput / MalformedInput).
 */
export function parseChangeBatch(body: string): { comment?: string; changes: ChangeRequest[] } {
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(body, true) as Record<string, unknown>;
  } catch (error) {
    throw new Route53Fault(400, 'InvalidInput', `Invalid XML ; ${(error as Error).message}`);
  }
  const request = parsed.ChangeResourceRecordSetsRequest as Record<string, unknown> | undefined;
  const batch = request?.ChangeBatch as Record<string, unknown> | undefined;
  if (!batch)
    throw new Route53Fault(
      400,
      'MalformedInput',
      'ChangeBatch is not valid, expected ChangeResourceRecordSetsRequest',
    );
  const changes = ((batch.Changes as Record<string, unknown> | undefined)?.Change ?? []) as Record<
    string,
    unknown
  >[];
  return {
    ...(typeof batch.Comment === 'string' ? { comment: batch.Comment } : {}),
    changes: changes.map((change) => {
      const set = (change.ResourceRecordSet ?? {}) as Record<string, unknown>;
      const records = ((set.ResourceRecords as Record<string, unknown> | undefined)?.ResourceRecord ??
        []) as Record<string, unknown>[];
      const ttl = typeof set.TTL === 'string' && /^\d+$/.test(set.TTL) ? Number(set.TTL) : undefined;
      return {
        action: String(change.Action ?? ''),
        ...(typeof set.Name === 'string' ? { name: set.Name } : {}),
        ...(typeof set.Type === 'string' ? { type: set.Type } : {}),
        ...(ttl === undefined ? {} : { ttl }),
        ...(typeof set.SetIdentifier === 'string' ? { setIdentifier: set.SetIdentifier } : {}),
        values: records.map((record) => String(record.Value ?? '')),
      };
    }),
  };
}
