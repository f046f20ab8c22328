namespace Nccid.Batch.Synthetic;

/// <summary>Fixed word lists the generator draws from; all names, places and centres are invented.</summary>
internal static class SyntheticCatalogue
{
    public static readonly IReadOnlyList<string> CentreNames =
    [
        "Ashford Vale NHS Foundation Trust", "Brackenridge University Hospitals", "Calderbrook General Hospital",
        "Dunmere Royal Infirmary", "Eastholm Teaching Hospitals NHS Trust", "Fenwick Cross Hospital",
        "Glenshaw District General", "Harrowgate Moor Hospitals NHS Trust", "Ivybridge Park Hospital",
        "Juniper Hill University Hospital", "Kestrel Bay Healthcare NHS Trust", "Larkspur Royal Hospital",
        "Marlowe Green Infirmary", "Northfield General Hospital", "Oakhaven Community Hospitals",
        "Penrose Valley NHS Trust", "Queensmere University Hospital", "Redcliffe Royal Infirmary",
        "Stonebridge General Hospital", "Thornbury Heath Hospitals NHS Trust", "Upton Marsh Hospital",
        "Westcombe Royal Hospital", "Yarrow Fields Teaching Hospital", "Ambleside Coast NHS Trust",
        "Birchwood Lane Hospital", "Coldharbour University Hospitals", "Dovecote Royal Infirmary",
        "Elmstead Regional Hospital", "Foxglove Moor General", "Greyfriars Park Hospital",
    ];

    public static readonly IReadOnlyList<string> FirstNames =
    [
        "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Noah", "Sophie", "Arthur", "Grace",
        "Thomas", "Zoë", "Rhys", "Siân", "Ewan", "Niamh", "Mohammed", "Aisha", "Priya", "Kwame", "Chloé", "Dafydd",
    ];

    public static readonly IReadOnlyList<string> LastNames =
    [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
        "Roberts", "Walker", "Wright", "Robinson", "Thompson", "Hughes", "Patel", "Khan", "O'Neill", "MacLeod",
        "Okafor", "Nowak", "Ferreira", "Brontë",
    ];

    public static readonly IReadOnlyList<string> Streets =
    [
        "Mill Lane", "Church Road", "Station Road", "Victoria Street", "Park Avenue", "Kings Road",
        "Orchard Close", "Meadow Way", "High Street", "Queens Drive", "Willow Crescent", "Chapel Street",
    ];

    public static readonly IReadOnlyList<string> Towns =
    [
        "Ashford Vale", "Brackenridge", "Calderbrook", "Dunmere", "Eastholm", "Fenwick", "Glenshaw", "Harrowgate",
    ];

    /// <summary>Postcode areas in use, so a made-up postcode has the shape of a real one.</summary>
    public static readonly IReadOnlyList<string> PostcodeAreas =
    [
        "AB", "B", "BS", "BT", "CB", "CF", "DN", "E", "EH", "G", "LE", "LS", "M", "N", "NE", "NG", "OX", "S", "SW", "YO",
    ];

    /// <summary>The vendors: manufacturer string, models per modality, preferred CR/DX modality.</summary>
    public static readonly IReadOnlyList<SyntheticVendor> Vendors =
    [
        new("GE", "GE MEDICAL SYSTEMS", ["Definium 8000", "Optima XR220amx"], ["Revolution CT", "LightSpeed VCT"], ["SIGNA Artist"], "DX"),
        new("Siemens", "SIEMENS", ["Ysio Max", "Mobilett Mira Max"], ["SOMATOM Definition AS", "SOMATOM go.Up"], ["MAGNETOM Aera"], "DX"),
        new("Philips", "Philips Medical Systems", ["DigitalDiagnost", "MobileDiagnost wDR"], ["Ingenuity CT", "Brilliance 64"], ["Ingenia"], "DX"),
        new("Canon", "CANON_MEC", ["CXDI-710C Wireless"], ["Aquilion ONE", "Aquilion Prime SP"], ["Vantage Orian"], "DX"),
        new("Fujifilm", "FUJIFILM Corporation", ["FCR Profect CS", "FDR D-EVO II"], [], [], "CR"),
        new("Agfa", "Agfa", ["CR 85-X", "DX-D 100"], [], [], "CR"),
        new("Carestream", "Carestream Health", ["DRX-Revolution", "DRX-Evolution Plus"], [], [], "CR"),
    ];
}
