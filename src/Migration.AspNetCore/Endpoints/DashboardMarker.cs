namespace Migration.AspNetCore.Endpoints;

/// <summary>Endpoint metadata of the dashboard page (answers 401 with a key prompt instead of JSON).</summary>
internal sealed class DashboardMarker;
