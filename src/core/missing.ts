// A page an earlier run recorded that the source no longer lists: reported, and with --delete-missing removed.

export interface MissingPage {
  id: string;
  title: string;
  spaceKey: string;
}
