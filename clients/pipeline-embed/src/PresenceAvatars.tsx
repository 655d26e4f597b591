import { initials, type RemoteUser } from './presence.js'

/** Everyone on the document, this user first. */
export function PresenceAvatars ({ users, localClientId }: { users: RemoteUser[], localClientId: number }): React.ReactElement {
  return (
    <div className='cp-avatars' aria-label='People here'>
      {users.map((u) => {
        const you = u.clientId === localClientId
        return (
          <div key={u.clientId} className='cp-avatar' data-user={u.name} data-local={you ? 'true' : undefined}
            title={you ? `${u.name} (you)` : u.name} style={{ background: u.color }}>
            {initials(u.name)}
          </div>
        )
      })}
    </div>
  )
}
