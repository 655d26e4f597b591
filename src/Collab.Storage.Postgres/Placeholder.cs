namespace Collab.Storage.Postgres;
