namespace Collab.Sync;
