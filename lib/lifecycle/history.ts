/**
 * A cluster leaves the lists of clusters once it is gone (deleted, expired, rejected); the "Recently ended" view
 * of the home and team pages keeps it findable this long, with when and by whom it ended.
 */
export const ENDED_HISTORY_DAYS = 7;
