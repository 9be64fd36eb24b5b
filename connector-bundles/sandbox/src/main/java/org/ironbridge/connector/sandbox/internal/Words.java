package org.ironbridge.connector.sandbox.internal;

import java.util.List;

/** The word lists the sandbox builds its names from. All companies and brands are fictional. */
final class Words {
    private Words() {}

    static final String[] FIRST_NAMES = {
        "Anna", "Lukas", "Sophie", "Jonas", "Mia", "Felix", "Laura", "Paul", "Lena", "Tim",
        "Sarah", "David", "Julia", "Max", "Nina", "Jan", "Eva", "Tobias", "Clara", "Simon",
        "Marta", "Piotr", "Elena", "Marco", "Chloé", "James", "Olivia", "Ahmet", "Fatma", "Ivan"
    };

    static final String[] LAST_NAMES = {
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz",
        "Zimmermann", "Krüger", "Hartmann", "Lange", "Kowalski", "Rossi", "Dubois", "Jansen",
        "Smith", "Novak", "Yılmaz", "Berg", "Lindqvist", "Keller"
    };

    static String person(Rng r) {
        return r.pick(FIRST_NAMES) + " " + r.pick(LAST_NAMES);
    }

    /** A maintenance craft and its hourly rate. */
    record Craft(String name, String rate) {}

    static final Craft[] CRAFTS = {
        new Craft("Mechanic", "68.00"),
        new Craft("Electrician", "72.00"),
        new Craft("Instrument Technician", "78.00"),
        new Craft("Welder", "70.00"),
        new Craft("Millwright", "74.00"),
        new Craft("External Contractor", "95.00")
    };

    /** A city of a vendor: name, postal code, state or region, telephone area prefix. */
    record City(String name, String postalCode, String state, String phone) {}

    /** A vendor country. */
    record Country(
            String code,
            String currency,
            int weight,
            String[] legalForms,
            String[] streets,
            List<City> cities) {}

    static final List<Country> COUNTRIES =
            List.of(
                    new Country(
                            "DE",
                            "EUR",
                            55,
                            new String[] {"GmbH", "GmbH", "GmbH & Co. KG", "AG"},
                            new String[] {
                                "Industriestraße %d",
                                "Hafenstraße %d",
                                "Gewerbering %d",
                                "Werkstraße %d",
                                "Am Güterbahnhof %d",
                                "Carl-Benz-Straße %d"
                            },
                            List.of(
                                    new City("Hamburg", "20457", "HH", "+49 40"),
                                    new City("Munich", "80339", "BY", "+49 89"),
                                    new City("Stuttgart", "70469", "BW", "+49 711"),
                                    new City("Cologne", "50829", "NW", "+49 221"),
                                    new City("Dortmund", "44147", "NW", "+49 231"),
                                    new City("Leipzig", "04129", "SN", "+49 341"),
                                    new City("Nuremberg", "90431", "BY", "+49 911"),
                                    new City("Bremen", "28197", "HB", "+49 421"),
                                    new City("Hanover", "30179", "NI", "+49 511"),
                                    new City("Mannheim", "68219", "BW", "+49 621"),
                                    new City("Duisburg", "47059", "NW", "+49 203"),
                                    new City("Chemnitz", "09120", "SN", "+49 371"),
                                    new City("Kassel", "34123", "HE", "+49 561"),
                                    new City("Bielefeld", "33609", "NW", "+49 521"),
                                    new City("Ulm", "89079", "BW", "+49 731"))),
                    new Country(
                            "AT",
                            "EUR",
                            8,
                            new String[] {"GmbH"},
                            new String[] {"Industriezeile %d", "Gewerbepark %d"},
                            List.of(
                                    new City("Vienna", "1230", "Vienna", "+43 1"),
                                    new City("Linz", "4030", "Upper Austria", "+43 732"),
                                    new City("Graz", "8051", "Styria", "+43 316"))),
                    new Country(
                            "NL",
                            "EUR",
                            7,
                            new String[] {"B.V."},
                            new String[] {"Industrieweg %d", "Havenstraat %d"},
                            List.of(
                                    new City("Rotterdam", "3089 JB", "South Holland", "+31 10"),
                                    new City("Eindhoven", "5652 AR", "North Brabant", "+31 40"),
                                    new City("Utrecht", "3542 AD", "Utrecht", "+31 30"))),
                    new Country(
                            "FR",
                            "EUR",
                            6,
                            new String[] {"SAS", "SARL"},
                            new String[] {"%d rue de l'Industrie", "%d avenue des Frères Lumière"},
                            List.of(
                                    new City("Lyon", "69007", "Auvergne-Rhône-Alpes", "+33 4"),
                                    new City("Lille", "59000", "Hauts-de-France", "+33 3"),
                                    new City("Toulouse", "31100", "Occitanie", "+33 5"))),
                    new Country(
                            "IT",
                            "EUR",
                            6,
                            new String[] {"S.r.l.", "S.p.A."},
                            new String[] {"Via dell'Industria %d", "Via Torino %d"},
                            List.of(
                                    new City("Milan", "20151", "Lombardy", "+39 02"),
                                    new City("Turin", "10156", "Piedmont", "+39 011"),
                                    new City("Bologna", "40132", "Emilia-Romagna", "+39 051"))),
                    new Country(
                            "GB",
                            "GBP",
                            6,
                            new String[] {"Ltd", "Ltd", "plc"},
                            new String[] {"%d Station Road", "%d Mill Lane"},
                            List.of(
                                    new City("Birmingham", "B6 7AR", "West Midlands", "+44 121"),
                                    new City("Sheffield", "S9 1XU", "South Yorkshire", "+44 114"),
                                    new City(
                                            "Manchester",
                                            "M17 1SN",
                                            "Greater Manchester",
                                            "+44 161"))),
                    new Country(
                            "US",
                            "USD",
                            6,
                            new String[] {"Inc.", "LLC", "Corp."},
                            new String[] {"%d Commerce Drive", "%d Industrial Parkway"},
                            List.of(
                                    new City("Cleveland", "44135", "OH", "+1 216"),
                                    new City("Houston", "77029", "TX", "+1 713"),
                                    new City("Milwaukee", "53204", "WI", "+1 414"))),
                    new Country(
                            "SE",
                            "SEK",
                            3,
                            new String[] {"AB"},
                            new String[] {"Verkstadsgatan %d", "Hamngatan %d"},
                            List.of(
                                    new City("Gothenburg", "417 07", "Västra Götaland", "+46 31"),
                                    new City("Västerås", "721 36", "Västmanland", "+46 21"))),
                    new Country(
                            "PL",
                            "PLN",
                            3,
                            new String[] {"Sp. z o.o."},
                            new String[] {"ul. Przemysłowa %d", "ul. Fabryczna %d"},
                            List.of(
                                    new City("Wrocław", "54-613", "Lower Silesia", "+48 71"),
                                    new City("Poznań", "61-248", "Greater Poland", "+48 61"))));

    static Country country(Rng r) {
        int[] weights = new int[COUNTRIES.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = COUNTRIES.get(i).weight();
        }
        return COUNTRIES.get(r.weighted(weights));
    }

    static Country country(String code) {
        for (Country c : COUNTRIES) {
            if (c.code().equals(code)) {
                return c;
            }
        }
        return null;
    }

    /** A VAT or tax registration number in the country's format. */
    static String taxId(String country, Rng r) {
        return switch (country) {
            case "DE" -> "DE" + r.digits(9);
            case "AT" -> "ATU" + r.digits(8);
            case "NL" -> "NL" + r.digits(9) + "B01";
            case "FR" -> "FR" + r.digits(11);
            case "IT" -> "IT" + r.digits(11);
            case "GB" -> "GB" + r.digits(9);
            case "US" -> r.digits(2) + "-" + r.digits(7);
            case "SE" -> "SE" + r.digits(10) + "01";
            default -> country + r.digits(10);
        };
    }

    // Vendor i gets prefix p = i mod 30 and trade (p + 31 * (i / 30)) mod 20: since gcd(31, 20) = 1
    // the first 30 * 20 = 600 vendors all have different names.
    static final String[] VENDOR_PREFIXES = {
        "Atlas",
        "Rhein",
        "Hansa",
        "Nordic",
        "Alpine",
        "Baltic",
        "Meyer",
        "Keller",
        "Becker",
        "Vulcan",
        "Titan",
        "Delta",
        "Summit",
        "Apex",
        "Pioneer",
        "Crown",
        "Eagle",
        "Orion",
        "Phoenix",
        "Polar",
        "Central",
        "United",
        "Continental",
        "Precision",
        "Standard",
        "Premier",
        "Allied",
        "Elbe",
        "Weser",
        "Danube"
    };

    static final String[] VENDOR_TRADES = {
        "Bolt Supplier",
        "Bearing Solutions",
        "Hydraulics",
        "Industrial Supply",
        "Fluid Power",
        "Drive Systems",
        "Sealing Technology",
        "Automation",
        "Valves & Fittings",
        "Tooling",
        "Electrical Wholesale",
        "Safety Products",
        "Lubricants",
        "Steel Trading",
        "Pump Service",
        "Conveyor Parts",
        "Filtration",
        "Compressed Air",
        "Welding Supplies",
        "Packaging"
    };

    /** The purchasing group of each trade, parallel to {@link #VENDOR_TRADES}. */
    static final String[] VENDOR_GROUPS = {
        "MRO",
        "MRO",
        "MRO",
        "MRO",
        "MRO",
        "MRO",
        "MRO",
        "MRO",
        "MRO",
        "TOOLS",
        "ELEC",
        "HSE",
        "MRO",
        "RAW",
        "SERVICES",
        "MRO",
        "MRO",
        "MRO",
        "RAW",
        "RAW"
    };

    static final String[] PAYMENT_TERMS = {
        "Net 30", "Net 30", "Net 30", "Net 45", "Net 60", "Net 14", "2% 10 days, net 30"
    };

    static final String[] VENDOR_NOTES = {
        "Framework agreement FA-2024-%03d",
        "Orders by EDI only",
        "ISO 9001 certified",
        "Minimum order value 250.00",
        "Delivers Tuesdays and Thursdays",
        "Requires the PO number on every delivery note"
    };

    /** A product template: names are the pattern filled with one value of each variant list. */
    record ItemTemplate(
            String category,
            String codePrefix,
            String type,
            String unit,
            String pattern,
            String[][] variants,
            double costLow,
            double costHigh,
            String description) {}

    private static String[] v(String... values) {
        return values;
    }

    private static String[][] vv(String[]... lists) {
        return lists;
    }

    static final ItemTemplate[] ITEMS = {
        new ItemTemplate(
                "Fasteners",
                "FAS",
                "part",
                "pcs",
                "Hex Bolt M%sx%s",
                vv(v("6", "8", "10", "12", "16"), v("20", "25", "30", "40", "50", "60", "80")),
                0.08,
                1.60,
                "Hex head bolt ISO 4017, steel 8.8, zinc plated"),
        new ItemTemplate(
                "Fasteners",
                "FAS",
                "part",
                "pcs",
                "Hex Nut M%s DIN 934",
                vv(v("6", "8", "10", "12", "16", "20")),
                0.03,
                0.60,
                "Hexagon nut, steel class 8, zinc plated"),
        new ItemTemplate(
                "Fasteners",
                "FAS",
                "part",
                "pcs",
                "Socket Head Cap Screw M%sx%s",
                vv(v("4", "5", "6", "8", "10"), v("12", "16", "20", "25", "30", "40")),
                0.05,
                0.90,
                "ISO 4762, steel 12.9, black oxide"),
        new ItemTemplate(
                "Fasteners",
                "FAS",
                "part",
                "pcs",
                "Flat Washer %s mm DIN 125",
                vv(v("6.4", "8.4", "10.5", "13", "17")),
                0.01,
                0.15,
                "Flat washer, steel, zinc plated"),
        new ItemTemplate(
                "Bearings",
                "BRG",
                "part",
                "pcs",
                "Deep Groove Ball Bearing 62%s-2RS",
                vv(v("01", "02", "03", "04", "05", "06", "07", "08", "10", "12")),
                3.50,
                48.00,
                "Single row deep groove ball bearing, sealed both sides"),
        new ItemTemplate(
                "Bearings",
                "BRG",
                "part",
                "pcs",
                "Pillow Block Bearing UCP2%s",
                vv(v("04", "05", "06", "07", "08", "10")),
                14.00,
                85.00,
                "Cast iron housing with insert bearing"),
        new ItemTemplate(
                "Bearings",
                "BRG",
                "part",
                "pcs",
                "Tapered Roller Bearing 302%s",
                vv(v("05", "06", "07", "08", "10")),
                9.00,
                70.00,
                "Single row tapered roller bearing"),
        new ItemTemplate(
                "Seals",
                "SEA",
                "part",
                "pcs",
                "O-Ring %sx%s NBR 70",
                vv(v("10", "16", "20", "25", "32", "40", "50"), v("2", "2.5", "3", "3.5", "4")),
                0.20,
                3.00,
                "O-ring, nitrile rubber, hardness 70 Shore A"),
        new ItemTemplate(
                "Seals",
                "SEA",
                "part",
                "pcs",
                "Mechanical Seal %s mm",
                vv(v("25", "30", "35", "40", "45", "55")),
                85.00,
                620.00,
                "Single mechanical seal, SiC/carbon faces, for centrifugal pumps"),
        new ItemTemplate(
                "Seals",
                "SEA",
                "part",
                "pcs",
                "Radial Shaft Seal %sx%sx%s",
                vv(v("25", "30", "35", "40", "50"), v("47", "52", "62", "72"), v("7", "8", "10")),
                1.50,
                14.00,
                "Radial shaft seal with dust lip, NBR"),
        new ItemTemplate(
                "Belts",
                "BLT",
                "part",
                "pcs",
                "V-Belt SPA %s",
                vv(v("1000", "1250", "1400", "1600", "1800", "2000")),
                8.00,
                35.00,
                "Narrow V-belt, wrapped"),
        new ItemTemplate(
                "Belts",
                "BLT",
                "part",
                "pcs",
                "Timing Belt HTD %s-8M-30",
                vv(v("640", "800", "960", "1200", "1440")),
                25.00,
                110.00,
                "HTD timing belt, 8 mm pitch, 30 mm wide"),
        new ItemTemplate(
                "Hydraulics",
                "HYD",
                "part",
                "pcs",
                "Hydraulic Hose DN%s 2SN, %s mm",
                vv(v("6", "8", "10", "12", "16"), v("500", "1000", "1500", "2000")),
                18.00,
                95.00,
                "Two-wire braided hydraulic hose assembly with pressed fittings"),
        new ItemTemplate(
                "Hydraulics",
                "HYD",
                "part",
                "pcs",
                "Hydraulic Filter Element %s µm",
                vv(v("3", "10", "25")),
                22.00,
                140.00,
                "Return-line filter element, glass fibre"),
        new ItemTemplate(
                "Lubricants",
                "LUB",
                "material",
                "l",
                "Hydraulic Oil HLP %s",
                vv(v("32", "46", "68")),
                2.80,
                6.50,
                "Mineral hydraulic oil to DIN 51524-2"),
        new ItemTemplate(
                "Lubricants",
                "LUB",
                "material",
                "l",
                "Gear Oil CLP %s",
                vv(v("150", "220", "320", "460")),
                4.00,
                9.50,
                "Industrial gear oil to DIN 51517-3"),
        new ItemTemplate(
                "Lubricants",
                "LUB",
                "material",
                "kg",
                "Lithium Grease EP%s",
                vv(v("1", "2")),
                8.00,
                16.00,
                "Multi-purpose lithium soap grease"),
        new ItemTemplate(
                "Electrical",
                "ELE",
                "part",
                "pcs",
                "Contactor 3-pole %s, %s coil",
                vv(v("9 A", "18 A", "32 A", "50 A"), v("24 V DC", "230 V AC")),
                18.00,
                140.00,
                "Power contactor, 3 main contacts, 1 NO auxiliary"),
        new ItemTemplate(
                "Electrical",
                "ELE",
                "part",
                "pcs",
                "Inductive Proximity Sensor M%s PNP",
                vv(v("8", "12", "18", "30")),
                24.00,
                95.00,
                "Inductive sensor, PNP NO, M12 connector"),
        new ItemTemplate(
                "Electrical",
                "ELE",
                "part",
                "pcs",
                "Miniature Circuit Breaker C%s 3-pole",
                vv(v("6", "10", "16", "20", "32")),
                19.00,
                65.00,
                "Miniature circuit breaker, characteristic C, 10 kA"),
        new ItemTemplate(
                "Electrical",
                "ELE",
                "part",
                "pcs",
                "Fuse Link %s A gG",
                vv(v("16", "25", "35", "63", "100")),
                2.50,
                9.00,
                "NH fuse link, full-range"),
        new ItemTemplate(
                "Electrical",
                "ELE",
                "material",
                "m",
                "Power Cable NYY-J %s",
                vv(v("3x1.5 mm²", "3x2.5 mm²", "5x4 mm²", "5x10 mm²")),
                1.20,
                9.80,
                "PVC-insulated power cable, sold by the metre"),
        new ItemTemplate(
                "Drives",
                "DRV",
                "part",
                "pcs",
                "Three-Phase Motor %s kW IE3",
                vv(v("0.75", "1.5", "3", "5.5", "7.5", "11")),
                180.00,
                1450.00,
                "Premium efficiency induction motor, 4-pole, foot mounted"),
        new ItemTemplate(
                "Drives",
                "DRV",
                "part",
                "pcs",
                "Frequency Inverter %s kW",
                vv(v("0.75", "2.2", "4", "7.5")),
                290.00,
                1600.00,
                "Variable frequency drive, 400 V, IP20"),
        new ItemTemplate(
                "Filters",
                "FIL",
                "part",
                "pcs",
                "Air Filter Element %s",
                vv(v("C 1140", "C 1250", "C 2029", "C 3075")),
                18.00,
                95.00,
                "Compressor intake air filter element"),
        new ItemTemplate(
                "Filters",
                "FIL",
                "part",
                "pcs",
                "Oil Separator Cartridge %s",
                vv(v("OS-15", "OS-30", "OS-55")),
                60.00,
                240.00,
                "Air/oil separator for screw compressors"),
        new ItemTemplate(
                "Pneumatics",
                "PNE",
                "part",
                "pcs",
                "Pneumatic Cylinder Ø%s x %s mm",
                vv(v("32", "40", "50", "63"), v("50", "100", "160", "200")),
                45.00,
                260.00,
                "ISO 15552 double-acting cylinder"),
        new ItemTemplate(
                "Pneumatics",
                "PNE",
                "part",
                "pcs",
                "Solenoid Valve 5/2 G%s",
                vv(v("1/8", "1/4", "1/2")),
                38.00,
                160.00,
                "5/2-way solenoid valve, 24 V DC"),
        new ItemTemplate(
                "Raw Materials",
                "RAW",
                "material",
                "kg",
                "Steel Plate S235JR %s mm",
                vv(v("3", "5", "8", "10", "15")),
                0.90,
                2.20,
                "Hot-rolled structural steel plate"),
        new ItemTemplate(
                "Raw Materials",
                "RAW",
                "material",
                "m",
                "Stainless Round Bar 1.4301 Ø%s mm",
                vv(v("10", "16", "20", "30", "40")),
                6.00,
                60.00,
                "Stainless steel round bar, sold by the metre"),
        new ItemTemplate(
                "Welding",
                "WLD",
                "material",
                "kg",
                "Welding Electrode E6013 Ø%s mm",
                vv(v("2.5", "3.2", "4.0")),
                6.00,
                14.00,
                "Rutile-coated stick electrode"),
        new ItemTemplate(
                "Safety",
                "HSE",
                "material",
                "pcs",
                "Safety Gloves Cut Level C, Size %s",
                vv(v("8", "9", "10", "11")),
                2.50,
                7.50,
                "Cut-resistant work gloves, EN 388"),
        new ItemTemplate(
                "Consumables",
                "CON",
                "material",
                "pcs",
                "Cleaning Wipes Roll %s Sheets",
                vv(v("500", "1000")),
                12.00,
                30.00,
                "Industrial cleaning wipes"),
        new ItemTemplate(
                "Consumables",
                "CON",
                "material",
                "set",
                "Cable Ties %s mm (pack of 100)",
                vv(v("200", "300", "430")),
                3.00,
                11.00,
                "Polyamide cable ties, black, UV resistant"),
        new ItemTemplate(
                "Tools",
                "TOO",
                "tool",
                "pcs",
                "Torque Wrench %s Nm",
                vv(v("5-60", "20-200", "60-340")),
                85.00,
                420.00,
                "Click-type torque wrench with calibration certificate"),
        new ItemTemplate(
                "Tools",
                "TOO",
                "tool",
                "set",
                "Socket Set 1/2\" %s pcs",
                vv(v("24", "32", "48")),
                55.00,
                260.00,
                "Chrome vanadium socket set in case"),
        new ItemTemplate(
                "Tools",
                "TOO",
                "tool",
                "pcs",
                "Digital Multimeter CAT %s",
                vv(v("III", "IV")),
                60.00,
                380.00,
                "True-RMS digital multimeter"),
        new ItemTemplate(
                "Services",
                "SVC",
                "service",
                "h",
                "Vibration Analysis Service (%s)",
                vv(v("on site", "remote")),
                95.00,
                180.00,
                "Condition monitoring by a certified vibration analyst, per hour"),
        new ItemTemplate(
                "Services",
                "SVC",
                "service",
                "pcs",
                "Calibration Service – %s",
                vv(v("Pressure Gauge", "Temperature Sensor", "Torque Wrench")),
                40.00,
                120.00,
                "Accredited calibration with certificate"),
        new ItemTemplate(
                "Spare Parts Kits",
                "KIT",
                "product",
                "set",
                "Spare Parts Kit %s",
                vv(v("Pump CPX", "Compressor SK", "Conveyor BC", "Gearbox GMK")),
                120.00,
                980.00,
                "Recommended spare parts for one year of operation")
    };

    /** UN/ECE unit codes the sandbox uses in its own records. */
    static String rawUnit(String unit) {
        if (unit == null) {
            return null;
        }
        return switch (unit) {
            case "pcs" -> "PCE";
            case "kg" -> "KGM";
            case "l" -> "LTR";
            case "m" -> "MTR";
            case "set" -> "SET";
            case "h" -> "HUR";
            default -> unit.toUpperCase(java.util.Locale.ROOT);
        };
    }

    /** A kind of equipment. */
    record AssetKind(
            String name,
            String tagPrefix,
            String category,
            String[] manufacturers,
            String modelPrefix,
            String[] models,
            double costLow,
            double costHigh,
            int childKind) {}

    static final AssetKind[] MAIN_ASSETS = {
        new AssetKind(
                "Centrifugal Pump",
                "P",
                "Pumps",
                v("Hydrona", "Kessler Pumpen", "AquaMotive"),
                "CPX",
                v("50-160", "65-200", "80-250", "100-315"),
                4_000,
                28_000,
                0),
        new AssetKind(
                "Screw Compressor",
                "C",
                "Compressors",
                v("Boreas Air", "Kompra"),
                "SK",
                v("22", "37", "55", "75"),
                18_000,
                65_000,
                0),
        new AssetKind(
                "Belt Conveyor",
                "CV",
                "Conveyors",
                v("Transvia", "Fördertec"),
                "BC",
                v("500", "650", "800", "1000"),
                12_000,
                80_000,
                1),
        new AssetKind(
                "Steam Boiler",
                "B",
                "Boilers",
                v("Calora", "Thermex"),
                "UL-S",
                v("2000", "4000", "6000"),
                90_000,
                350_000,
                2),
        new AssetKind(
                "Plate Heat Exchanger",
                "E",
                "Heat Exchangers",
                v("Thermoplate"),
                "PHE",
                v("M10", "M15", "T20"),
                6_000,
                30_000,
                -1),
        new AssetKind(
                "Cooling Tower",
                "CT",
                "HVAC",
                v("Frigon"),
                "CT",
                v("150", "300", "450"),
                40_000,
                160_000,
                3),
        new AssetKind(
                "Hydraulic Press",
                "PR",
                "Presses",
                v("Pressmaster", "Hydrotek"),
                "HP",
                v("100", "250", "400"),
                60_000,
                420_000,
                4),
        new AssetKind(
                "CNC Machining Center",
                "MC",
                "Machine Tools",
                v("Fräsmann", "Cutline"),
                "VMC",
                v("850", "1000", "1300"),
                120_000,
                480_000,
                5),
        new AssetKind(
                "Industrial Chiller",
                "CH",
                "HVAC",
                v("Frigon", "Glacia"),
                "WC",
                v("120", "240", "360"),
                30_000,
                140_000,
                7),
        new AssetKind(
                "Packaging Machine",
                "PM",
                "Packaging",
                v("Packline", "Wrapco"),
                "FFS",
                v("200", "350"),
                80_000,
                300_000,
                6),
        new AssetKind(
                "Air Handling Unit",
                "AHU",
                "HVAC",
                v("Ventora"),
                "AHU",
                v("10", "20", "40"),
                15_000,
                90_000,
                3),
        new AssetKind(
                "Electric Forklift",
                "FL",
                "Vehicles",
                v("Liftmaster", "Carrix"),
                "EFG",
                v("216", "320", "425"),
                22_000,
                48_000,
                -1),
        new AssetKind(
                "Diesel Generator",
                "G",
                "Power",
                v("Voltara"),
                "DG",
                v("250", "500", "800"),
                60_000,
                250_000,
                6),
        new AssetKind(
                "Power Transformer",
                "T",
                "Power",
                v("Voltara", "Magnetra"),
                "TR",
                v("630 kVA", "1000 kVA", "1600 kVA"),
                25_000,
                110_000,
                -1),
        new AssetKind(
                "Storage Tank",
                "TK",
                "Tanks",
                v("Tankbau Nord"),
                "ST",
                v("10 m³", "25 m³", "50 m³"),
                8_000,
                60_000,
                -1),
        new AssetKind(
                "Industrial Mixer",
                "MX",
                "Process Equipment",
                v("Mixtec"),
                "IM",
                v("500", "1000", "2000"),
                20_000,
                95_000,
                1)
    };

    /** Components installed in a main asset; {@link AssetKind#childKind()} indexes this. */
    static final AssetKind[] CHILD_ASSETS = {
        new AssetKind(
                "Drive Motor",
                "M",
                "Motors",
                v("Elmotec", "Voltara"),
                "IE3",
                v("132M", "160L", "200L", "250M"),
                1_500,
                12_000,
                -1),
        new AssetKind(
                "Gear Motor",
                "GM",
                "Drives",
                v("Getra", "Drivex"),
                "GMK",
                v("37", "47", "67", "87"),
                2_000,
                9_000,
                -1),
        new AssetKind(
                "Burner", "BR", "Boilers", v("Calora"), "MB", v("2", "4", "6"), 8_000, 30_000, -1),
        new AssetKind(
                "Axial Fan",
                "F",
                "HVAC",
                v("Ventora"),
                "AF",
                v("800", "1000", "1250"),
                3_000,
                15_000,
                -1),
        new AssetKind(
                "Hydraulic Power Unit",
                "HPU",
                "Hydraulics",
                v("Hydrotek"),
                "PU",
                v("15", "30", "45"),
                9_000,
                40_000,
                -1),
        new AssetKind(
                "Spindle Motor",
                "SM",
                "Machine Tools",
                v("Fräsmann"),
                "SP",
                v("15", "22"),
                6_000,
                25_000,
                -1),
        new AssetKind(
                "Control Panel",
                "CP",
                "Electrical",
                v("Switchcraft", "Elmotec"),
                "CP",
                v("S", "M", "L"),
                3_000,
                20_000,
                -1),
        new AssetKind(
                "Refrigeration Compressor",
                "RC",
                "HVAC",
                v("Glacia"),
                "RCS",
                v("30", "60"),
                7_000,
                28_000,
                -1)
    };

    /** A plant site of the simulated company. */
    record Site(String city, String country, String postalCode, String state, String street) {}

    static final Site[] SITES = {
        new Site("Hamburg", "DE", "21107", "HH", "Hafenstraße 120"),
        new Site("Leipzig", "DE", "04159", "SN", "Industriestraße 45"),
        new Site("Dortmund", "DE", "44147", "NW", "Werkstraße 8"),
        new Site("Augsburg", "DE", "86167", "BY", "Gewerbering 17"),
        new Site("Linz", "AT", "4030", "Upper Austria", "Industriezeile 33"),
        new Site("Poznań", "PL", "61-248", "Greater Poland", "ul. Fabryczna 12"),
        new Site("Eindhoven", "NL", "5652 AR", "North Brabant", "Industrieweg 71"),
        new Site("Lyon", "FR", "69007", "Auvergne-Rhône-Alpes", "14 rue de l'Industrie"),
        new Site("Turin", "IT", "10156", "Piedmont", "Via dell'Industria 9"),
        new Site("Sheffield", "GB", "S9 1XU", "South Yorkshire", "3 Mill Lane"),
        new Site("Gothenburg", "SE", "417 07", "Västra Götaland", "Verkstadsgatan 5"),
        new Site("Milwaukee", "US", "53204", "WI", "1200 Industrial Parkway")
    };

    static final String[] AREAS = {
        "Production Hall",
        "Boiler House",
        "Water Treatment",
        "Packaging Line",
        "Compressor Station",
        "Paint Shop",
        "Assembly Line",
        "Utilities Building",
        "Tank Farm",
        "Press Shop",
        "Loading Bay",
        "Machining Hall"
    };

    /** A fault: how a person reports it, and what maintenance does about it. */
    record Problem(String symptom, String action, String detail) {}

    static final Problem[] PROBLEMS = {
        new Problem(
                "%s is leaking at the mechanical seal",
                "Replace mechanical seal",
                "Liquid is dripping from the seal area; a puddle has formed under the unit."),
        new Problem(
                "Unusual vibration on %s",
                "Check alignment and replace bearings",
                "Vibration is noticeably higher than usual and can be felt on the frame."),
        new Problem(
                "%s does not start",
                "Troubleshoot motor starter and control circuit",
                "The start command has no effect; no fault is shown on the panel."),
        new Problem(
                "%s is overheating",
                "Clean cooler and check coolant flow",
                "The temperature alarm came on twice during the shift."),
        new Problem(
                "Loud noise from %s",
                "Inspect drive train and lubricate",
                "A grinding noise is audible from several metres away."),
        new Problem(
                "Pressure drop at %s",
                "Locate leak and replace valve",
                "Outlet pressure falls below the set point under load."),
        new Problem(
                "Belt slipping on %s",
                "Replace and re-tension V-belts",
                "A squealing noise when starting; the belts look glazed."),
        new Problem(
                "Sensor fault alarm on %s",
                "Replace faulty proximity sensor",
                "The HMI shows a sensor fault and the unit stops intermittently."),
        new Problem(
                "Oil leak under %s",
                "Replace shaft seal and clean up oil",
                "Oil has collected on the floor under the drive."),
        new Problem(
                "%s trips the circuit breaker",
                "Check motor insulation and wiring", "The breaker trips a few seconds after start.")
    };

    static final String[] FACILITY_PROBLEMS = {
        "Lighting failure in %s",
        "Door to %s does not close properly",
        "Water on the floor in %s",
        "Air conditioning not working in %s",
        "Compressed air leak audible in %s",
        "Broken window in %s"
    };

    static final String[] PM_TITLES = {
        "Quarterly preventive maintenance",
        "Annual service",
        "Monthly lubrication round",
        "Semi-annual filter change"
    };

    static final String[] INSPECTION_TITLES = {
        "Monthly safety inspection",
        "Thermographic inspection",
        "Vibration measurement round",
        "Statutory pressure vessel inspection"
    };

    static final String[] PROJECT_TITLES = {
        "Overhaul", "Retrofit energy-efficient drive for", "Relocation of", "Control upgrade for"
    };

    static final String[] PM_TASKS = {
        "Lock out and tag out equipment",
        "Check oil level and top up",
        "Inspect belts and couplings",
        "Lubricate bearings",
        "Clean or replace filters",
        "Check for leaks",
        "Measure motor current",
        "Test run and record readings"
    };

    static final String[] INSPECTION_TASKS = {
        "Visual inspection for damage and corrosion",
        "Check guards and emergency stops",
        "Measure vibration at bearings",
        "Thermographic scan of electrical connections",
        "Record operating hours",
        "Document findings"
    };

    static final String[] PROJECT_TASKS = {
        "Prepare work permit and method statement",
        "Dismantle existing components",
        "Install new components",
        "Commissioning and acceptance test"
    };

    static final String[] PO_NOTES = {
        "Deliver to goods receipt, gate 3",
        "Urgent: production stop",
        "Partial deliveries accepted",
        "Per framework agreement",
        "Please confirm the delivery date",
        "Certificate 3.1 required"
    };
}
