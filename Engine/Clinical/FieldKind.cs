namespace Nccid.Batch.Clinical;

/// <summary>The type of a clinical field, which decides its normaliser and its accepted input forms.</summary>
public enum FieldKind
{
    /// <summary>The patient's pseudonym; must match the folder or file name.</summary>
    Pseudonym,

    /// <summary>Free text, trimmed.</summary>
    Text,

    /// <summary>A calendar date.</summary>
    Date,

    /// <summary>A whole number with an optional unit.</summary>
    Integer,

    /// <summary>A decimal number with a unit; other units are converted.</summary>
    Decimal,

    /// <summary>Yes / no / unknown.</summary>
    Flag,

    /// <summary>Sex: F, M or U.</summary>
    Sex,

    /// <summary>NHS ethnic category letter.</summary>
    Ethnicity,

    /// <summary>Smoking status: Never, Former, Current or Unknown.</summary>
    Smoking,

    /// <summary>A COVID-19 test result: positive, negative or unknown.</summary>
    TestResult,

    /// <summary>The kind of COVID-19 test.</summary>
    TestType,

    /// <summary>Fraction of inspired oxygen, 0.21 to 1.</summary>
    FiO2,

    /// <summary>Systolic and diastolic blood pressure in one cell, "137/91".</summary>
    BloodPressure,

    /// <summary>Year of birth, used only to derive the age.</summary>
    BirthYear,

    /// <summary>Date of birth, used only to derive the age and never kept.</summary>
    BirthDate,
}
