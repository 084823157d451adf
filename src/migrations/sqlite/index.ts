export { Initial1764288000000 } from './1764288000000-initial';
export { MeetingSearchIndex1764374400000 } from './1764374400000-meeting-search-index';
export { WriteSafety1764460800000 } from './1764460800000-write-safety';
