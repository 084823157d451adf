/** Every field a meeting of a search result has: what the largest page of the contract selects. */
export const EVERY_MEETING_FIELD = `id meetingId typeCode statusCode realtyId visitTime agencyOfficeId
  sourceTypeCode notes createdByName creationTime modificationTime version
  parties { partyId partyTypeCode partyName emailAddress phoneNumber }
  agents { agentId firstName lastName }
  meetingRealty {
    categoryCode subCategoryCode propertyTypeCode residentialTypeCode plotPropertyTypeCode
    estatePropertyTypeCode otherShareTypeCode commercialPropertyTypeCode floorLevel roomCountCode
    managementCharge constructionYear doorCode title features
    area { value areaUnitCode }
    address { ...EveryAddressField }
  }
  priceEstimate { value currencyCode }
  address { ...EveryAddressField }`;

/** The fragment EVERY_MEETING_FIELD spreads: add it to a document that uses them. */
export const EVERY_ADDRESS_FIELD = `fragment EveryAddressField on Address {
  addressLine1 addressLine2 stairwell apartmentNumber district districtCode region regionCode
  postcode postalArea locality localityCode country countryCode
}`;

/** A meeting of a search result costs 8: itself, parties, agents, meetingRealty with its area and
 * address, priceEstimate, address. Scalars and enums cost nothing. */
export const FULL_MEETING_COST = 8;
