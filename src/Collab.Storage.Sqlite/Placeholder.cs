namespace Collab.Storage.Sqlite;
