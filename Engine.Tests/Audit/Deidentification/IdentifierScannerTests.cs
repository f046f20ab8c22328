using Nccid.Batch.Audit.Deidentification;

namespace Nccid.Batch.Tests.Audit.Deidentification;

public sealed class IdentifierScannerTests
{
    /// <summary>Ten digits with the check digit computed by the modulus-11 rule written out here (weights 10..2).</summary>
    private static string WithCheckDigit(string nine)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (nine[i] - '0') * (10 - i);
        var check = 11 - (sum % 11);
        if (check == 10) return string.Empty;
        return nine + (check == 11 ? 0 : check).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static TheoryData<string> ValidNhsNumbers()
    {
        var data = new TheoryData<string>();
        foreach (var nine in new[] { "943476591", "401023213", "999000000", "485777345", "999123456", "640000000" })
        {
            var number = WithCheckDigit(nine);
            if (number.Length == 10) data.Add(number);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ValidNhsNumbers))]
    public void Modulus11_accepts_numbers_whose_check_digit_follows_the_rule(string number)
    {
        Assert.True(HealthNumberScanner.IsValidModulus11(number));
        var wrong = number[..9] + (char)('0' + ((number[9] - '0' + 1) % 10));
        Assert.False(HealthNumberScanner.IsValidModulus11(wrong));
    }

    [Fact]
    public void Modulus11_accepts_the_published_example_and_rejects_its_neighbours()
    {
        Assert.True(HealthNumberScanner.IsValidModulus11("9434765919"));
        Assert.False(HealthNumberScanner.IsValidModulus11("9434765918"));
        Assert.False(HealthNumberScanner.IsValidModulus11("943476591"));
        Assert.False(HealthNumberScanner.IsValidModulus11("94347659190"));
    }

    [Fact]
    public void Modulus11_rejects_every_number_whose_check_digit_would_be_ten()
    {
        // Nine digits whose weighted sum leaves remainder 1 have check digit 10: no tenth digit makes them valid.
        var found = 0;
        for (var n = 0; n < 2000 && found < 5; n++)
        {
            var nine = n.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            if (WithCheckDigit(nine).Length != 0) continue;
            found++;
            for (var d = 0; d <= 9; d++) Assert.False(HealthNumberScanner.IsValidModulus11(nine + (char)('0' + d)), nine + d);
        }

        Assert.Equal(5, found);
    }

    [Theory]
    [InlineData("Pt NHS 9434765919 seen", 8, 10)]
    [InlineData("NHS no 943 476 5919.", 8, 12)]
    [InlineData("943-476-5919", 1, 12)]
    [InlineData("NHS No.9434765919", 8, 10)]
    [InlineData("NHS.943 476 5919", 5, 12)]
    [InlineData("NHS9434765919", 4, 10)]
    [InlineData("NHS 943\u00A0476\u00A05919", 5, 12)]
    [InlineData("nhs number: 943\u2013476\u20135919", 13, 12)]
    [InlineData("NHS 943 476 5918", 5, 12)]
    public void Nhs_numbers_are_found_together_or_in_3_3_4_groups(string text, int start, int length)
    {
        Assert.True(HealthNumberScanner.TryFindNext(text, 0, out var s, out var l, out var chi));
        Assert.Equal((start - 1, length, false), (s, l, chi));
    }

    [Theory]
    [InlineData("9434765918")]
    [InlineData("1.2.9434765919")]
    [InlineData("A9434765919")]
    [InlineData("94347659191")]
    [InlineData("943 476-5919")]
    [InlineData("94 3476 5919")]
    [InlineData("1.9434765919")]
    [InlineData("Casino 9434765918")]
    [InlineData("Acquired 010120 1430")]
    public void Nhs_scanner_ignores_wrong_check_digits_longer_tokens_and_mixed_separators(string text)
    {
        Assert.False(HealthNumberScanner.TryFindNext(text, 0, out _, out _, out _));
    }

    [Fact]
    public void Chi_numbers_start_with_a_valid_birth_date_and_pass_modulus_11()
    {
        var chi = WithCheckDigit("120361123");
        if (chi.Length == 0) chi = WithCheckDigit("120361124");
        Assert.True(HealthNumberScanner.TryFindNext("CHI " + chi, 0, out var start, out var length, out var isChi));
        Assert.Equal((4, 10, true), (start, length, isChi));

        // After the cue, also with the birth date apart, as Scottish records print it.
        var spaced = "CHI: " + chi[..6] + " " + chi[6..];
        Assert.True(HealthNumberScanner.TryFindNext(spaced, 0, out start, out length, out isChi));
        Assert.Equal((5, 11, true), (start, length, isChi));

        // 31 February is no date: the same check digit rule, but not a CHI number.
        var notDate = WithCheckDigit("310261123");
        if (notDate.Length == 0) notDate = WithCheckDigit("310261124");
        Assert.True(HealthNumberScanner.TryFindNext(notDate, 0, out _, out _, out isChi));
        Assert.False(isChi);
        Assert.True(HealthNumberScanner.StartsWithDate("290200"));
        Assert.False(HealthNumberScanner.StartsWithDate("290201"));
        Assert.False(HealthNumberScanner.StartsWithDate("011361"));
    }

    [Theory]
    [InlineData("12 Mill Lane, Dunmere, SW1A 1AA", "SW1A 1AA")]
    [InlineData("M1 1AE", "M1 1AE")]
    [InlineData("B33 8TH.", "B33 8TH")]
    [InlineData("CR2 6XH", "CR2 6XH")]
    [InlineData("DN55 1PT", "DN55 1PT")]
    [InlineData("W1A 0AX", "W1A 0AX")]
    [InlineData("EC1A1BB", "EC1A1BB")]
    [InlineData("sw1a 1aa", "sw1a 1aa")]
    [InlineData("lives at ls1 4ap", "ls1 4ap")]
    [InlineData("SW1A  1AA", "SW1A  1AA")]
    [InlineData("BT9\u00A07AB", "BT9\u00A07AB")]
    [InlineData("(E1W 1AA)", "E1W 1AA")]
    public void Postcodes_of_every_shape_are_found(string text, string expected)
    {
        Assert.Equal(expected, Found(PostcodeScanner.TryFindNext, text));
    }

    [Theory]
    [InlineData("Axial Lung 1.25mm")]
    [InlineData("R-44D4A")]
    [InlineData("XSW1A 1AA")]
    [InlineData("A12BC")]
    [InlineData("CT THORAX")]
    [InlineData("AX T2 5MM")]
    [InlineData("COR T1 3MM")]
    [InlineData("LUNG B70 1MM")]
    [InlineData("FC13 1MM")]
    [InlineData("C1 2MM RECON")]
    [InlineData("SAG T2 3DS")]
    [InlineData("Sw1a 1AA")]
    [InlineData("QA1 1AA")]
    public void Postcode_scanner_ignores_codes_that_only_resemble_postcodes(string text)
    {
        Assert.Null(Found(PostcodeScanner.TryFindNext, text));
    }

    [Theory]
    [InlineData("contact jane.doe+cxr@nhs.example.org now", "jane.doe+cxr@nhs.example.org")]
    [InlineData("a@b.co", "a@b.co")]
    [InlineData("mail: x_y@host.uk.", "x_y@host.uk")]
    [InlineData("cc O'Neill.J@nhs.net", "O'Neill.J@nhs.net")]
    [InlineData("('a.b@trust.org')", "a.b@trust.org")]
    public void Email_addresses_are_found(string text, string expected)
    {
        Assert.Equal(expected, Found(EmailScanner.TryFindNext, text));
    }

    [Theory]
    [InlineData("user@localhost")]
    [InlineData("@example.org")]
    [InlineData("x@host.c")]
    [InlineData("x@.org")]
    public void Email_scanner_ignores_incomplete_addresses(string text)
    {
        Assert.Null(Found(EmailScanner.TryFindNext, text));
    }

    [Theory]
    [InlineData("tel 01632 960123 ext", "01632 960123")]
    [InlineData("07700 900123", "07700 900123")]
    [InlineData("020 7946 0018", "020 7946 0018")]
    [InlineData("+44 20 7946 0018", "+44 20 7946 0018")]
    [InlineData("+44 (0)161 496 0000", "+44 (0)161 496 0000")]
    [InlineData("(01632) 960123", "(01632) 960123")]
    [InlineData("0044 7700 900123", "0044 7700 900123")]
    [InlineData("01632-960-123", "01632-960-123")]
    [InlineData("Tel.07700 900123", "07700 900123")]
    [InlineData("Mob.07700900123", "07700900123")]
    [InlineData("+44-20-7946-0018", "+44-20-7946-0018")]
    [InlineData("020  7946 0018", "020  7946 0018")]
    [InlineData("(+44) 20 7946 0018", "(+44) 20 7946 0018")]
    [InlineData("020\u00A07946\u00A00018", "020\u00A07946\u00A00018")]
    [InlineData("(016977) 3456", "(016977) 3456")]
    public void Uk_telephone_numbers_are_found_in_their_usual_forms(string text, string expected)
    {
        Assert.Equal(expected, Found(PhoneScanner.TryFindNext, text));
    }

    [Theory]
    [InlineData("01/02/1961")]
    [InlineData("Axial Lung 1.25mm")]
    [InlineData("1.2.826.0.1.3680043")]
    [InlineData("0123")]
    [InlineData("06 01 2020")]
    [InlineData("004412345")]
    [InlineData("Acquired 03-04-2020 14:22")]
    [InlineData("Scan 09-12-2020 10:15:30")]
    [InlineData("Processed 01-04-2020 09:15")]
    [InlineData("1.07700900123")]
    [InlineData("Study 010120 1430")]
    public void Phone_scanner_ignores_dates_uids_and_short_numbers(string text)
    {
        Assert.Null(Found(PhoneScanner.TryFindNext, text));
    }

    [Theory]
    [InlineData("DOB 12/03/1961", "12/03/1961")]
    [InlineData("Pt born 1961-03-12, query", "1961-03-12")]
    [InlineData("d.o.b.: 12.3.61", "12.3.61")]
    [InlineData("Date of birth 19610312", "19610312")]
    [InlineData("dob=12 March 1961", "12 March 1961")]
    [InlineData("born on 29/02/1960", "29/02/1960")]
    [InlineData("DOB: 01-Feb-1960", "01-Feb-1960")]
    [InlineData("DOB 01-FEB-60", "01-FEB-60")]
    [InlineData("DOB 01FEB1960", "01FEB1960")]
    [InlineData("DOB 1st Feb 1960", "1st Feb 1960")]
    [InlineData("DOB 1 February 60", "1 February 60")]
    [InlineData("DOB 01021960", "01021960")]
    [InlineData("DOB/Age: 01/02/1960 (64y)", "01/02/1960")]
    [InlineData("DOB 29/02/00", "29/02/00")]
    public void Dates_of_birth_are_found_after_their_cue(string text, string expected)
    {
        Assert.Equal(expected, Found(DateOfBirthScanner.TryFindNext, text));
    }

    [Theory]
    [InlineData("Study 12/03/2021")]
    [InlineData("DOB 31/02/1961")]
    [InlineData("DOB 29/02/1961")]
    [InlineData("dobutamine 12/03/1961")]
    [InlineData("DOB unknown")]
    [InlineData("DOB 29/02/61")]
    [InlineData("DOB 31 Feb 1961")]
    public void Date_of_birth_scanner_needs_a_cue_and_a_valid_date(string text)
    {
        Assert.Null(Found(DateOfBirthScanner.TryFindNext, text));
    }

    [Theory]
    [InlineData("MRN RJ1 123456", "RJ1 123456")]
    [InlineData("Hosp no K123456 seen", "K123456")]
    [InlineData("Hospital Number: 12345678", "12345678")]
    [InlineData("hosp. no.: AB-1234567", "AB-1234567")]
    [InlineData("Unit No 0123456", "0123456")]
    [InlineData("medical record number=RX12345", "RX12345")]
    public void Hospital_numbers_are_found_after_their_cue(string text, string expected)
    {
        Assert.Equal(expected, Found(HospitalNumberScanner.TryFindNext, text));
    }

    [Theory]
    [InlineData("RJ1 123456")]
    [InlineData("Unit no 5 slices")]
    [InlineData("MRN 1234")]
    [InlineData("MRNA vaccine 123456")]
    [InlineData("unit number 12345ABC")]
    [InlineData("Series 123456 hospital")]
    public void Hospital_number_scanner_needs_a_cue_and_five_digits(string text)
    {
        Assert.Null(Found(HospitalNumberScanner.TryFindNext, text));
    }

    [Fact]
    public void Listed_names_match_whole_words_ignoring_case()
    {
        var names = new NameMatcher(["Zoë Brontë", "O'Neill", "Smith"]);

        Assert.True(names.TryFindNext("seen by ZOË BRONTË today", 0, out var start, out var length));
        Assert.Equal((8, 10), (start, length));
        Assert.True(names.TryFindNext("MR O'NEILL", 0, out start, out length));
        Assert.Equal((3, 7), (start, length));
        Assert.False(names.TryFindNext("Smithfield and Zoë", 0, out _, out _));
        Assert.True(names.TryFindNext("SMITH^JOHN", 0, out start, out length));
        Assert.Equal((0, 5), (start, length));
    }

    [Theory]
    [InlineData("John Smith", 0, 10)]
    [InlineData("report: SMITH^JOHN", 8, 10)]
    [InlineData("Smith, John (ref)", 0, 11)]
    [InlineData("BRONTE^MARY^ANN", 0, 15)]
    public void A_name_of_several_words_is_also_found_family_name_first(string text, int start, int length)
    {
        var names = new NameMatcher(["John Smith", "Mary Ann Bronte"]);

        Assert.True(names.TryFindNext(text, 0, out var s, out var l));
        Assert.Equal((start, length), (s, l));
        Assert.False(names.TryFindNext("Dr Smith reviewed; John to follow", 0, out _, out _));
    }

    private delegate bool Finder(ReadOnlySpan<char> text, int start, out int matchStart, out int matchLength);

    /// <summary>What <paramref name="find"/> finds first in <paramref name="text"/>, or null.</summary>
    private static string? Found(Finder find, string text) => find(text, 0, out var start, out var length) ? text.Substring(start, length) : null;
}
