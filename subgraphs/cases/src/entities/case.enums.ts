import { registerEnumType } from 'type-graphql';

/** Where a case stands: MISSING until the child is FOUND or the case is CLOSED otherwise. */
export enum CaseStatus {
  MISSING = 'MISSING',
  FOUND = 'FOUND',
  CLOSED = 'CLOSED',
}
registerEnumType(CaseStatus, {
  name: 'CaseStatus',
  description: 'MISSING (open), FOUND (the child was found) or CLOSED (ended for another reason, see the status note).',
});

/** The child's gender as reported. */
export enum Gender {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
  OTHER = 'OTHER',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(Gender, { name: 'Gender', description: "The child's gender as reported." });

/** What kind of place the child was last seen at (analytics groups cases by it). */
export enum LocationType {
  PARK = 'PARK',
  SCHOOL = 'SCHOOL',
  HOME = 'HOME',
  STREET = 'STREET',
  TRANSPORT = 'TRANSPORT',
  SHOP = 'SHOP',
  OTHER = 'OTHER',
}
registerEnumType(LocationType, {
  name: 'LocationType',
  description:
    'Kind of place the child was last seen at: park, school, home, street, public transport, shop, or other.',
});

/**
 * The status changes a case may go through. Reopening (back to MISSING) is for ADMINs only, to
 * undo a mistaken report of the child being found; CLOSED → FOUND records a late discovery.
 */
export const STATUS_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  [CaseStatus.MISSING]: [CaseStatus.FOUND, CaseStatus.CLOSED],
  [CaseStatus.FOUND]: [CaseStatus.CLOSED, CaseStatus.MISSING],
  [CaseStatus.CLOSED]: [CaseStatus.FOUND, CaseStatus.MISSING],
};

/** Where a sighting stands after the case's reporter or an ADMIN looked at it. */
export enum SightingStatus {
  NEW = 'NEW',
  VERIFIED = 'VERIFIED',
  DISMISSED = 'DISMISSED',
}
registerEnumType(SightingStatus, {
  name: 'SightingStatus',
  description:
    "NEW (not reviewed yet), VERIFIED (the case's reporter or an ADMIN confirmed it) or DISMISSED (hidden from everyone else).",
});

/** The order of the case list. */
export enum CaseOrder {
  NEWEST = 'NEWEST',
  OLDEST = 'OLDEST',
  NEAREST = 'NEAREST',
}
registerEnumType(CaseOrder, {
  name: 'CaseOrder',
  description:
    'NEWEST (most recently last seen first, the default), OLDEST (longest missing first) or NEAREST (closest to filter.near first; needs filter.near).',
});
