/** Who may see a private incident: the members of its channel. Every view that lists incidents asks here. */
export interface ChannelMembership {
  /** Whether `userId` is a member of the channel; rejects when the chat cannot say (the caller then hides). */
  isMember(channelId: string, userId: string): Promise<boolean>;
}
