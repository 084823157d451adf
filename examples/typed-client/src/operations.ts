import { graphql } from './gql';

// The operations of the example. `npm run codegen` reads them from here and writes their result
// and variable types to src/gql/; each `graphql(...)` call then returns a typed document.

/** One row of a list: what a search results table shows. */
graphql(`
  fragment MeetingRow on Meeting {
    meetingId
    visitTime
    statusCode
    typeCode
    address {
      addressLine1
      locality
    }
    parties {
      partyName
    }
    agents {
      firstName
      lastName
    }
  }
`);

/**
 * Every field `MeetingInput` has: `updateMeeting` replaces the whole meeting, so an edit form must
 * read all of them (a field left out here would be cleared by the update).
 */
graphql(`
  fragment MeetingEditable on Meeting {
    typeCode
    statusCode
    parties {
      partyId
      partyTypeCode
    }
    realtyId
    visitTime
    agencyOfficeId
    agents {
      agentId
    }
    sourceTypeCode
    meetingRealty {
      categoryCode
      subCategoryCode
      propertyTypeCode
      residentialTypeCode
      plotPropertyTypeCode
      estatePropertyTypeCode
      otherShareTypeCode
      commercialPropertyTypeCode
      address {
        addressLine1
        addressLine2
        stairwell
        apartmentNumber
        district
        districtCode
        region
        regionCode
        postcode
        postalArea
        locality
        localityCode
        country
        countryCode
      }
      area {
        value
        areaUnitCode
      }
      floorLevel
      roomCountCode
      managementCharge
      constructionYear
      doorCode
      title
      features
    }
    priceEstimate {
      value
      currencyCode
    }
    notes
  }
`);

/** The REST search: filters, sort, startIndex/size and totalCount. */
export const SearchMeetings = graphql(`
  query SearchMeetings(
    $filter: MeetingFilter
    $sort: [MeetingSort!]
    $startIndex: Int
    $size: Int
  ) {
    meetings(filter: $filter, sort: $sort, startIndex: $startIndex, size: $size) {
      totalCount
      meetings {
        ...MeetingRow
      }
    }
  }
`);

/** The same search as a Relay connection: pass `endCursor` as `after` for the next page. */
export const MeetingsPage = graphql(`
  query MeetingsPage($filter: MeetingFilter, $first: Int, $after: String) {
    meetingsConnection(filter: $filter, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...MeetingRow
        }
      }
    }
  }
`);

/** One meeting, with its version: send it back as `expectedVersion` when you update it. */
export const GetMeeting = graphql(`
  query GetMeeting($meetingId: UUID!) {
    meeting(meetingId: $meetingId) {
      meetingId
      version
      modificationTime
      createdByName
      ...MeetingEditable
    }
  }
`);

export const CreateMeeting = graphql(`
  mutation CreateMeeting($input: MeetingInput!) {
    createMeeting(input: $input) {
      meetingId
      meeting {
        version
        createdByName
      }
    }
  }
`);

export const UpdateMeeting = graphql(`
  mutation UpdateMeeting($meetingId: UUID!, $input: MeetingInput!, $expectedVersion: Int) {
    updateMeeting(meetingId: $meetingId, input: $input, expectedVersion: $expectedVersion) {
      meeting {
        version
        notes
        modificationTime
      }
    }
  }
`);

export const DeleteMeeting = graphql(`
  mutation DeleteMeeting($meetingId: UUID!, $expectedVersion: Int) {
    deleteMeeting(meetingId: $meetingId, expectedVersion: $expectedVersion) {
      meetingId
    }
  }
`);
